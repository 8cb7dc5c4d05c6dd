/**
 * Sync jobs (sync.cfg; PBS /config/sync, /admin/sync): list with last and next run, get,
 * create, update, remove, run now. Access as PBS: a job is visible with Datastore.Audit on its
 * local side and Remote.Audit on the remote (or Audit on the local source); editing and running
 * need what the sync itself needs (services/sync/sync-access.ts).
 */
import { z } from 'zod';
import {
  AppError,
  CreateSyncJobInputSchema,
  SyncJobGetOutputSchema,
  SyncJobListInputSchema,
  SyncJobListOutputSchema,
  SyncJobRefSchema,
  TaskIdOutputSchema,
  UpdateSyncJobInputSchema,
  type SyncJob,
  type SyncJobConfig,
} from '@pbs/api-types';
import { checkSyncDepth } from '@pbs/sync';
import { jobStatus } from '../../services/datastore/job-status.js';
import { checkScheduleField } from '../../services/schedule.js';
import type { Services } from '../../services/services.js';
import { SYNC_JOB_TYPE, startSyncJob } from '../../services/sync/run-sync.js';
import { canReadSyncJob, checkModifySyncJob } from '../../services/sync/sync-access.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

const withStatus = async (services: Services, job: SyncJobConfig): Promise<SyncJob> => ({
  ...job,
  status: await jobStatus(services, SYNC_JOB_TYPE, job.id, job.schedule),
});

/** What must hold for a job to be saved: stores and remote exist, schedule parses, depths fit. */
async function validateJob(services: Services, job: SyncJobConfig): Promise<void> {
  checkScheduleField('schedule', job.schedule);
  await services.datastores.configOf(job.store);
  const direction = job.syncDirection ?? 'pull';
  if (job.remote !== undefined) {
    if ((await services.remotes.find(job.remote)) === undefined)
      throw new AppError('NOT_FOUND', `remote '${job.remote}' does not exist`);
  } else {
    if (direction === 'push') throw new AppError('INVALID_ARGUMENT', 'a push job needs a remote');
    if (job.remoteStore === job.store) throw new AppError('INVALID_ARGUMENT', "can't sync to same datastore");
    await services.datastores.configOf(job.remoteStore);
  }
  checkSyncDepth(job.remoteNs ?? '', job.ns ?? '', job.maxDepth);
}

export const list = customAccessProcedure(
  'jobs with Datastore.Audit on the local side and Remote.Audit on the remote',
)
  .input(SyncJobListInputSchema)
  .output(SyncJobListOutputSchema)
  .query(async ({ ctx, input }) => {
    const { digest, items } = await ctx.services.syncJobs.read();
    const visible: SyncJob[] = [];
    for (const job of items) {
      if (input.store !== undefined && job.store !== input.store) continue;
      if (input.syncDirection !== undefined && (job.syncDirection ?? 'pull') !== input.syncDirection)
        continue;
      if (!(await canReadSyncJob(ctx.services, ctx.caller.authId, job))) continue;
      visible.push(await withStatus(ctx.services, job));
    }
    return { digest, items: visible.sort((a, b) => a.id.localeCompare(b.id)) };
  });

export const get = customAccessProcedure('read access to the job')
  .input(SyncJobRefSchema.pick({ id: true }))
  .output(SyncJobGetOutputSchema)
  .query(async ({ ctx, input }) => {
    const { digest, item } = await ctx.services.syncJobs.get(input.id);
    if (!(await canReadSyncJob(ctx.services, ctx.caller.authId, item)))
      throw new AppError('PERMISSION_DENIED', `permission check failed for sync job '${input.id}'`);
    return { digest, job: await withStatus(ctx.services, item) };
  });

export const create = customAccessProcedure(
  'the privileges the sync needs (pull: Datastore.Backup, Remote.Read; push: Remote.DatastoreBackup, Datastore.Read)',
)
  .input(CreateSyncJobInputSchema)
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    await checkModifySyncJob(ctx.services, ctx.caller.authId, input);
    await validateJob(ctx.services, input);
    await ctx.services.syncJobs.create(input);
  });

export const update = customAccessProcedure('modify access to the job before and after the change')
  .input(UpdateSyncJobInputSchema)
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const { id, digest, delete: deleted = [], ...patch } = input;
    const { item: current } = await ctx.services.syncJobs.get(id);
    await checkModifySyncJob(ctx.services, ctx.caller.authId, current);
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const change = (job: SyncJobConfig): SyncJobConfig => {
      const next: Record<string, unknown> = { ...job, ...defined };
      for (const key of deleted) delete next[key];
      return next as SyncJobConfig;
    };
    const next = change(current);
    await checkModifySyncJob(ctx.services, ctx.caller.authId, next);
    await validateJob(ctx.services, next);
    await ctx.services.syncJobs.update(id, change, digest);
    if (patch.schedule !== undefined) await ctx.services.jobStates.updateLastRunTime(SYNC_JOB_TYPE, id);
  });

export const remove = customAccessProcedure('modify access to the job')
  .input(SyncJobRefSchema)
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const { item } = await ctx.services.syncJobs.get(input.id);
    await checkModifySyncJob(ctx.services, ctx.caller.authId, item);
    await ctx.services.syncJobs.remove(input.id, input.digest);
    await ctx.services.jobStates.remove(SYNC_JOB_TYPE, input.id);
  });

export const run = customAccessProcedure('modify access to the job')
  .input(SyncJobRefSchema.pick({ id: true }))
  .output(TaskIdOutputSchema)
  .mutation(async ({ ctx, input }) => {
    const { item } = await ctx.services.syncJobs.get(input.id);
    await checkModifySyncJob(ctx.services, ctx.caller.authId, item);
    return { taskId: await startSyncJob(ctx.services, item, ctx.caller.authId) };
  });
