import { Anchor, Card, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/error-alert';
import { formatEpoch } from '../../lib/format';
import { taskListPath, taskPath } from '../../lib/task-search';
import { useTRPC } from '../../lib/trpc';

const SHOWN = 10;

/** Tasks running now, each linking to its page (shares the header button's query). */
export function RunningTasksCard() {
  const trpc = useTRPC();
  const running = useQuery(
    trpc.task.list.queryOptions({ running: true, limit: 100 }, { refetchInterval: 5000, staleTime: 0 }),
  );
  return (
    <Card withBorder component="section" aria-label="Running tasks">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            Running tasks
          </Title>
          <Anchor component={Link} to={taskListPath({ running: true })} size="sm">
            Show all
          </Anchor>
        </Group>
        {running.isPending && <Skeleton h={80} />}
        {running.isError && <ErrorAlert error={running.error} onRetry={() => void running.refetch()} />}
        {running.data?.items.length === 0 && (
          <Text c="dimmed" size="sm">
            No task is running right now.
          </Text>
        )}
        {running.data?.items.slice(0, SHOWN).map((task) => (
          <Group key={task.upid} justify="space-between" wrap="nowrap" gap="xs">
            <Anchor component={Link} to={taskPath(task.upid)} size="sm" truncate>
              {task.worker_type}
              {task.worker_id === null ? '' : ` ${task.worker_id}`}
            </Anchor>
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {task.user} · {formatEpoch(task.starttime)}
            </Text>
          </Group>
        ))}
        {running.data !== undefined && running.data.total > SHOWN && (
          <Text size="sm" c="dimmed">
            and {running.data.total - SHOWN} more
          </Text>
        )}
      </Stack>
    </Card>
  );
}
