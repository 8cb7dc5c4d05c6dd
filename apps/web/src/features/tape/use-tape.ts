/**
 * The tRPC wiring the tape views share: lists of drives, changers and pools, one invalidation
 * for everything tape, and mutations that start a worker task (notice with a link to the task
 * page; the tape lists refresh when the task ends).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';
import { useSession } from '../../lib/use-session';
import { useTaskNotice } from '../../lib/use-task-notice';
import { useWhenTaskEnds } from '../../lib/use-when-task-ends';
import type { Loaded } from './handles';

const POLL_MS = 15_000;

export function loaded<T>(query: {
  data: T | undefined;
  isPending: boolean;
  error: unknown;
  refetch: () => Promise<unknown>;
}): Loaded<T> {
  return {
    data: query.data,
    loading: query.isPending,
    error: query.error,
    retry: () => void query.refetch(),
  };
}

export function useTapeDrives() {
  const trpc = useTRPC();
  return useQuery(trpc.tapeDrive.list.queryOptions(undefined, { refetchInterval: POLL_MS }));
}

export function useTapeChangers() {
  const trpc = useTRPC();
  return useQuery(trpc.tapeChanger.list.queryOptions(undefined, { refetchInterval: POLL_MS }));
}

export function useMediaPools() {
  const trpc = useTRPC();
  return useQuery(trpc.tapePool.list.queryOptions());
}

export function names(query: { data?: { items: { name: string }[] } | undefined }): string[] {
  return (query.data?.items ?? []).map((item) => item.name);
}

/** Refetches every tape list (config, status, media, content, jobs). */
export function useInvalidateTape() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all(
      [trpc.tapeDrive, trpc.tapeChanger, trpc.tapePool, trpc.tapeMedia, trpc.tapeJob, trpc.tapeKey].map(
        (router) => queryClient.invalidateQueries({ queryKey: router.pathKey() }),
      ),
    );
  };
}

/**
 * onSuccess for a mutation that returns `{ taskId }`: tells the admin the task started (with a
 * link to its page) and refreshes the tape lists now and again when the task has ended.
 */
export function useTaskStarted() {
  const notice = useTaskNotice();
  const whenEnds = useWhenTaskEnds();
  const invalidate = useInvalidateTape();
  return (title: string) =>
    async ({ taskId }: { taskId: string }) => {
      notice(title, taskId);
      whenEnds(taskId, invalidate);
      await invalidate();
    };
}

/** What the caller may do in the tape views (PBS's Tape.* privileges and their ACL paths). */
export function useTapePermissions() {
  const session = useSession();
  return {
    seesTape: session.canBelow('/tape', 'Tape.Audit', 'Tape.Modify', 'Tape.Read', 'Tape.Write'),
    mayModifyDevices: session.can('/tape/device', 'Tape.Modify'),
    mayUseDrives: session.canBelow('/tape/device', 'Tape.Read', 'Tape.Write'),
    mayWriteMedia: session.canBelow('/tape/device', 'Tape.Write'),
    mayModifyMedia: session.can('/tape', 'Tape.Modify'),
    mayModifyPools: session.can('/tape/pool', 'Tape.Modify'),
    mayModifyJobs: session.can('/tape/job', 'Tape.Modify'),
    mayRestore: session.canBelow('/tape', 'Tape.Read'),
  };
}
