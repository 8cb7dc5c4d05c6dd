/** One-shot pull and push (PBS POST /pull, /push): the options of a job, run once as a task. */
import { SyncRunInputSchema, TaskIdOutputSchema } from '@pbs/api-types';
import { checkSyncDepth } from '@pbs/sync';
import { startSyncRun } from '../../services/sync/run-sync.js';
import { checkPullPrivs, checkPushPrivs } from '../../services/sync/sync-access.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

export const pull = customAccessProcedure(
  'Datastore.Backup on the target, Remote.Read on /remote/{remote}/{store} (local: Datastore.Backup on the source), Datastore.Prune to remove vanished',
)
  .input(SyncRunInputSchema)
  .output(TaskIdOutputSchema)
  .mutation(async ({ ctx, input }) => {
    // as PBS: a one-shot pull makes the caller the owner of the groups it creates
    const job = { ...input, owner: ctx.caller.authId, syncDirection: 'pull' as const };
    await checkPullPrivs(ctx.services, ctx.caller.authId, job);
    checkSyncDepth(job.remoteNs ?? '', job.ns ?? '', job.maxDepth);
    await ctx.services.datastores.configOf(job.store);
    return { taskId: await startSyncRun(ctx.services, job, ctx.caller.authId) };
  });

export const push = customAccessProcedure(
  'Remote.DatastoreBackup (Remote.DatastorePrune to remove vanished) on the remote target, Datastore.Read or Datastore.Backup locally',
)
  .input(SyncRunInputSchema)
  .output(TaskIdOutputSchema)
  .mutation(async ({ ctx, input }) => {
    const job = { ...input, syncDirection: 'push' as const };
    await checkPushPrivs(ctx.services, ctx.caller.authId, job);
    checkSyncDepth(job.ns ?? '', job.remoteNs ?? '', job.maxDepth);
    await ctx.services.datastores.configOf(job.store);
    return { taskId: await startSyncRun(ctx.services, job, ctx.caller.authId) };
  });
