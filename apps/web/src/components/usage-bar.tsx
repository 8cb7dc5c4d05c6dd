import { Group, Progress, Stack, Text } from '@mantine/core';
import { usageColor } from './task-state-colors';
import { formatBytes, formatPercent } from '../lib/format';

export interface UsageBarProps {
  label: string;
  used: number;
  total: number;
  /** the bar's accessible name (default '<label> usage') */
  barLabel?: string;
}

/** "used of total" with a bar that turns yellow and red as it fills. */
export function UsageBar({ label, used, total, barLabel }: UsageBarProps) {
  const fraction = total > 0 ? used / total : 0;
  return (
    <Stack gap={2}>
      <Group justify="space-between" gap="xs">
        <Text size="sm">{label}</Text>
        <Text size="sm" c="dimmed">
          {total > 0 ? `${formatBytes(used)} of ${formatBytes(total)} (${formatPercent(fraction)})` : 'none'}
        </Text>
      </Group>
      <Progress
        value={fraction * 100}
        color={usageColor(fraction)}
        aria-label={barLabel ?? `${label} usage`}
      />
    </Stack>
  );
}
