import { Stack } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useState } from 'react';
import type { TaskLogLine, TaskProgress } from '@pbs/api-types';
import { ErrorAlert } from '../../components/error-alert';
import { useTRPC } from '../../lib/trpc';
import { TaskLogView } from './task-log-view';

const RETRY_MS = 3000;

/** Appends only lines not seen yet: a reconnecting stream starts again from line 1. */
function appendLines(prev: readonly TaskLogLine[], incoming: readonly TaskLogLine[]): TaskLogLine[] {
  const last = prev[prev.length - 1]?.n ?? 0;
  const fresh = incoming.filter((line) => line.n > last);
  return fresh.length === 0 ? (prev as TaskLogLine[]) : [...prev, ...fresh];
}

export interface LiveTaskLogProps {
  upid: string;
  onProgress: (progress: TaskProgress) => void;
}

/** The log of a running task, streamed by task.follow; at the end the page switches to the archive. */
export function LiveTaskLog({ upid, onProgress }: LiveTaskLogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [lines, setLines] = useState<TaskLogLine[]>([]);
  const follow = useSubscription(
    trpc.task.follow.subscriptionOptions(
      { upid, fromLine: 0 },
      {
        onData: (event) => {
          if (event.kind === 'log') setLines((prev) => appendLines(prev, event.lines));
          else if (event.kind === 'progress') onProgress(event.progress);
          else {
            queryClient.setQueryData(trpc.task.get.queryKey({ upid }), event.status);
            void queryClient.invalidateQueries({ queryKey: trpc.task.list.queryKey() });
            void queryClient.invalidateQueries({ queryKey: trpc.task.log.queryKey({ upid }) });
          }
        },
      },
    ),
  );
  // A dropped stream (server restart, network) is retried; meanwhile the status is re-read, so a
  // task that ended while we were away switches the page to its final state.
  const failed = follow.status === 'error';
  const resubscribe = follow.reset;
  useEffect(() => {
    if (!failed) return;
    void queryClient.invalidateQueries({ queryKey: trpc.task.get.queryKey({ upid }) });
    const timer = window.setTimeout(resubscribe, RETRY_MS);
    return () => window.clearTimeout(timer);
  }, [failed, resubscribe, queryClient, trpc, upid]);

  return (
    <Stack>
      {follow.error !== null && (
        <ErrorAlert error={follow.error} title="The live log stopped; retrying…" onRetry={follow.reset} />
      )}
      <TaskLogView lines={lines} follow empty="Waiting for output…" />
    </Stack>
  );
}
