/**
 * Runs a callback once a background task has ended, for views that show the task's result
 * (a moved group, a renamed namespace) without making the admin reload. Polls the task status
 * every half second; the task keeps running if the view goes away.
 */
import { useCallback } from 'react';
import { useTRPCClient } from './trpc';

const POLL_MS = 500;

export function useWhenTaskEnds(): (taskId: string, then: () => unknown) => void {
  const client = useTRPCClient();
  return useCallback(
    (taskId, then) => {
      const poll = async (): Promise<void> => {
        const status = await client.task.get.query({ upid: taskId }).catch(() => null);
        if (status !== null && status.endtime === undefined) {
          setTimeout(() => void poll(), POLL_MS);
          return;
        }
        await then();
      };
      void poll();
    },
    [client],
  );
}
