/** What the content view does to groups and snapshots, and the refresh after each change. */
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { SnapshotRef } from '@pbs/api-types';
import { toAppError } from '../../lib/errors';
import { groupKey, snapshotName } from '../../lib/datastore-paths';
import { taskListPath } from '../../lib/task-search';
import { useTRPC, useTRPCClient } from '../../lib/trpc';
import { useTaskNotice } from '../../lib/use-task-notice';

/** After a change: groups, snapshots (all pages), namespaces and the store's counts. */
export function useInvalidateContent() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.group.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.snapshot.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.namespace.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.datastore.status.pathKey() }),
    ]);
  };
}

export type BatchKind = 'forget' | 'protect' | 'unprotect' | 'verify';

export interface BatchResult {
  done: number;
  failed: Array<{ name: string; message: string }>;
  taskIds: string[];
}

/**
 * One action over many snapshots, one request each (the API has no batch call), with progress.
 * Failures are collected, not fatal: the summary names each snapshot that failed.
 */
export function useSnapshotBatch(store: string, ns: string) {
  const client = useTRPCClient();
  const invalidate = useInvalidateContent();
  const notice = useTaskNotice();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const mutation = useMutation({
    meta: { handlesErrors: true },
    mutationFn: async ({
      kind,
      snapshots,
    }: {
      kind: BatchKind;
      snapshots: SnapshotRef[];
    }): Promise<BatchResult> => {
      const result: BatchResult = { done: 0, failed: [], taskIds: [] };
      setProgress({ done: 0, total: snapshots.length });
      for (const snapshot of snapshots) {
        const target = { store, ns, snapshot: { type: snapshot.type, id: snapshot.id, time: snapshot.time } };
        try {
          if (kind === 'forget') await client.snapshot.remove.mutate(target);
          else if (kind === 'verify') result.taskIds.push((await client.verify.run.mutate(target)).taskId);
          else await client.snapshot.setProtected.mutate({ ...target, protected: kind === 'protect' });
          result.done++;
        } catch (err) {
          result.failed.push({ name: snapshotName(snapshot), message: toAppError(err).message });
        }
        setProgress({ done: result.done + result.failed.length, total: snapshots.length });
      }
      return result;
    },
    onSettled: async () => {
      setProgress(null);
      await invalidate();
    },
    onSuccess: (result, { kind }) => {
      const [first] = result.taskIds;
      if (kind === 'verify' && result.taskIds.length === 1 && first !== undefined) {
        notice('Verification started', first);
      } else if (kind === 'verify' && result.taskIds.length > 1) {
        notice.many(`${result.taskIds.length} verify tasks started`, taskListPath({ store }));
      }
      if (result.failed.length > 0) {
        notifications.show({
          color: 'red',
          title: `${result.failed.length} of ${result.done + result.failed.length} failed`,
          message: result.failed.map((f) => `${f.name}: ${f.message}`).join('\n'),
          autoClose: false,
        });
      }
    },
  });
  return { ...mutation, progress };
}

/** Verify a whole group as one task; the notice links to it. */
export function useVerifyGroup() {
  const trpc = useTRPC();
  const notice = useTaskNotice();
  const invalidate = useInvalidateContent();
  return useMutation(
    trpc.verify.run.mutationOptions({
      onSuccess: async ({ taskId }, input) => {
        notice(
          `Verification of ${input.group === undefined ? 'the namespace' : groupKey(input.group)} started`,
          taskId,
        );
        await invalidate();
      },
    }),
  );
}
