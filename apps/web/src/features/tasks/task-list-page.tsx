import { Group, Pagination, Paper, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import {
  EMPTY_TASK_FILTERS,
  readTaskFilters,
  taskListInput,
  writeTaskFilters,
  type TaskFilters,
} from '../../lib/task-search';
import { useTRPC } from '../../lib/trpc';
import { useSession } from '../../lib/use-session';
import { TaskFilterBar } from './task-filter-bar';
import { TaskTable } from './task-table';

const PAGE_SIZE = 200;

/** /tasks: the task history, filtered by the URL's search parameters, paged by the server. */
export function TaskListPage() {
  const trpc = useTRPC();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const filters = readTaskFilters(params);
  const list = useQuery(
    trpc.task.list.queryOptions(taskListInput(filters, PAGE_SIZE), {
      placeholderData: keepPreviousData,
      refetchInterval: 5000,
    }),
  );
  const update = (patch: Partial<TaskFilters>) =>
    setParams(writeTaskFilters({ ...filters, page: 1, ...patch }), { replace: true });
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const filtered = params.toString() !== '';
  const seesAll = session.can('/system/tasks', 'Sys.Audit');

  return (
    <Stack>
      <PageHeader
        title="Tasks"
        description={seesAll ? 'All tasks of this server.' : 'Your tasks (and those of your API tokens).'}
      />
      <Paper withBorder p="md">
        <TaskFilterBar
          filters={filters}
          onChange={update}
          onClear={() => setParams(writeTaskFilters(EMPTY_TASK_FILTERS))}
        />
      </Paper>
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      <Paper withBorder>
        <TaskTable
          tasks={list.data?.items ?? []}
          loading={list.isPending}
          empty={
            filtered
              ? 'No task matches these filters. Clear or widen the filters.'
              : 'No tasks yet. Tasks appear here when a backup, prune, verify or other job runs.'
          }
        />
      </Paper>
      <Group justify="space-between">
        <Text size="sm" c="dimmed" aria-live="polite">
          {list.data === undefined ? '' : `${total} task${total === 1 ? '' : 's'}`}
        </Text>
        {pages > 1 && (
          <Pagination
            total={pages}
            value={Math.min(filters.page, pages)}
            onChange={(page) => setParams(writeTaskFilters({ ...filters, page }))}
            getControlProps={(control) => ({ 'aria-label': `${control} page` })}
          />
        )}
      </Group>
    </Stack>
  );
}
