import { Group, Pagination, Skeleton, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorAlert } from '../../components/error-alert';
import { useTRPC } from '../../lib/trpc';
import { TaskLogView } from './task-log-view';

const LOG_PAGE = 5000;

/** The whole log of a finished task from the archive, in pages of 5000 lines. */
export function FinishedTaskLog({ upid }: { upid: string }) {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const log = useQuery(
    trpc.task.log.queryOptions(
      { upid, start: (page - 1) * LOG_PAGE, limit: LOG_PAGE },
      { placeholderData: keepPreviousData, staleTime: Infinity },
    ),
  );
  if (log.isPending) return <Skeleton h={240} />;
  if (log.isError) return <ErrorAlert error={log.error} onRetry={() => void log.refetch()} />;
  const pages = Math.max(1, Math.ceil(log.data.total / LOG_PAGE));
  return (
    <Stack>
      <TaskLogView lines={log.data.lines} follow={false} empty="The task wrote no log." />
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {log.data.total} line{log.data.total === 1 ? '' : 's'}
        </Text>
        {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} />}
      </Group>
    </Stack>
  );
}
