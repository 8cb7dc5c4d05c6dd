import { Anchor, Card, Group, SegmentedControl, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/error-alert';
import { TASK_STATE_COLORS } from '../../components/task-state-colors';
import { taskListPath, type TaskEndState } from '../../lib/task-search';
import { useTRPC } from '../../lib/trpc';

export const SUMMARY_DAYS = ['1', '7', '30'] as const;
export type SummaryDays = (typeof SUMMARY_DAYS)[number];

const OUTCOMES: Array<{ key: 'ok' | 'warning' | 'error'; label: string; statuses: TaskEndState[] }> = [
  { key: 'ok', label: 'OK', statuses: ['ok'] },
  { key: 'warning', label: 'Warning', statuses: ['warning'] },
  // the summary counts unknown outcomes as errors, as PBS's dashboard does
  { key: 'error', label: 'Error', statuses: ['error', 'unknown'] },
];

export interface TaskSummaryCardProps {
  days: SummaryDays;
  onDaysChange: (days: SummaryDays) => void;
}

/** Finished tasks per type and outcome since N days; each non-zero cell opens the filtered list. */
export function TaskSummaryCard({ days, onDaysChange }: TaskSummaryCardProps) {
  const trpc = useTRPC();
  // whole days, so the list the cells link to (which filters by date) counts the same tasks
  const sinceDay = dayjs().subtract(Number(days), 'day').startOf('day');
  const since = sinceDay.unix();
  const sinceDate = sinceDay.format('YYYY-MM-DD');
  const stats = useQuery(trpc.task.stats.queryOptions({ since }, { refetchInterval: 30_000 }));
  const types = Object.keys(stats.data?.byType ?? {}).sort();

  return (
    <Card withBorder component="section" aria-label="Task summary">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            Task summary
          </Title>
          <SegmentedControl
            size="xs"
            aria-label="Days to summarise"
            value={days}
            onChange={(value) => onDaysChange(SUMMARY_DAYS.find((d) => d === value) ?? '30')}
            data={[
              { value: '1', label: '1 day' },
              { value: '7', label: '7 days' },
              { value: '30', label: '30 days' },
            ]}
          />
        </Group>
        {stats.isPending && <Skeleton h={120} />}
        {stats.isError && <ErrorAlert error={stats.error} onRetry={() => void stats.refetch()} />}
        {stats.data && types.length === 0 && (
          <Text c="dimmed" size="sm">
            No task finished in this period.
          </Text>
        )}
        {stats.data && types.length > 0 && (
          <Table aria-label="Tasks by type and outcome" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Type</Table.Th>
                {OUTCOMES.map((o) => (
                  <Table.Th key={o.key} ta="right">
                    {o.label}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {types.map((type) => (
                <Table.Tr key={type}>
                  <Table.Td>{type}</Table.Td>
                  {OUTCOMES.map((o) => {
                    const count = stats.data.byType[type]?.[o.key] ?? 0;
                    return (
                      <Table.Td key={o.key} ta="right">
                        {count === 0 ? (
                          <Text span c="dimmed" size="sm">
                            0
                          </Text>
                        ) : (
                          <Anchor
                            component={Link}
                            to={taskListPath({ type, status: o.statuses, since: sinceDate })}
                            c={TASK_STATE_COLORS[o.key]}
                            fw={600}
                            aria-label={`${count} ${type} tasks with status ${o.label}`}
                          >
                            {count}
                          </Anchor>
                        )}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
