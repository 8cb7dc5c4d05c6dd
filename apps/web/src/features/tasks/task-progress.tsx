import { Group, Progress, Stack, Text } from '@mantine/core';
import type { TaskProgress as Progress_ } from '@pbs/api-types';
import { formatBytes, formatDuration, formatPercent, formatRate } from '../../lib/format';

/** A task's structured progress: bar, phase, bytes, items, rate and ETA. */
export function TaskProgress({ progress, running }: { progress: Progress_; running: boolean }) {
  const { fraction, phase, bytesDone, bytesTotal, itemsDone, itemsTotal, rate, etaSeconds } = progress;
  const facts: string[] = [];
  if (bytesDone !== undefined) {
    facts.push(
      bytesTotal !== undefined
        ? `${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)}`
        : formatBytes(bytesDone),
    );
  }
  if (itemsDone !== undefined)
    facts.push(itemsTotal !== undefined ? `${itemsDone} of ${itemsTotal} items` : `${itemsDone} items`);
  if (rate !== undefined && running) facts.push(formatRate(rate));
  if (etaSeconds !== undefined && running) facts.push(`ETA ${formatDuration(etaSeconds)}`);
  const percent = fraction === null ? 100 : fraction * 100;
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={500}>
          {phase ?? (running ? 'Running' : 'Done')}
        </Text>
        <Text size="sm" c="dimmed">
          {fraction === null ? 'in progress' : formatPercent(fraction)}
        </Text>
      </Group>
      <Progress
        value={percent}
        striped={fraction === null && running}
        animated={fraction === null && running}
        size="lg"
        aria-label="Task progress"
        aria-valuetext={fraction === null ? 'in progress' : formatPercent(fraction)}
      />
      {facts.length > 0 && (
        <Text size="sm" c="dimmed">
          {facts.join(' · ')}
        </Text>
      )}
    </Stack>
  );
}
