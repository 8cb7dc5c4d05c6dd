/**
 * Sync runs as worker tasks: a sync job ('syncjob', worker id
 * `<remote|->:<remote-store>:<store>:<ns>:<job id>`, job state 'syncjob/<id>') or a one-shot
 * pull/push ('sync', worker id = the local store). The task wires the engine: the local
 * datastore(s) from the registry, the remote from remote.cfg, the rate limits, the task context.
 */
import { AppError, type SyncJobConfig, type SyncOptions } from '@pbs/api-types';
import {
  connectRemote,
  createByteLimiter,
  LocalSource,
  pull,
  push,
  remoteError,
  RemoteSource,
  type SyncContext,
  type SyncStats,
} from '@pbs/sync';
import type { TaskContext } from '@pbs/tasks';
import { startJob } from '../datastore/run-job.js';
import type { Services } from '../services.js';
import { remoteEndpoint } from './remotes.js';
import { ROOT_AUTH_ID } from './sync-access.js';

export const SYNC_JOB_TYPE = 'syncjob';

export function syncWorkerId(job: SyncJobConfig): string {
  return `${job.remote ?? '-'}:${job.remoteStore}:${job.store}:${job.ns ?? ''}:${job.id}`;
}

function checkDistinct(job: SyncOptions): void {
  if (job.remote === undefined && job.store === job.remoteStore)
    throw new AppError('INVALID_ARGUMENT', "can't sync to same datastore");
  if ((job.syncDirection ?? 'pull') === 'push' && job.remote === undefined)
    throw new AppError('INVALID_ARGUMENT', 'a push job needs a remote');
}

/** Runs the sync described by `job` inside a task. */
export async function runSync(services: Services, job: SyncOptions, ctx: TaskContext): Promise<SyncStats> {
  checkDistinct(job);
  const sctx: SyncContext = ctx;
  if ((job.syncDirection ?? 'pull') === 'pull') {
    const { datastore: target } = await services.datastores.open(job.store, 'write');
    const limiter = createByteLimiter({ rate: job.rateIn, burst: job.burstIn }, ctx.clock);
    const common = {
      sourceNs: job.remoteNs ?? '',
      target,
      targetStore: job.store,
      targetNs: job.ns ?? '',
      owner: job.owner ?? ROOT_AUTH_ID,
      maxDepth: job.maxDepth,
      groupFilter: job.groupFilter,
      removeVanished: job.removeVanished,
      transferLast: job.transferLast,
      resyncCorrupt: job.resyncCorrupt,
      encryptedOnly: job.encryptedOnly,
      verifiedOnly: job.verifiedOnly,
      workerThreads: job.workerThreads,
    };
    if (job.remote === undefined) {
      const { datastore: source } = await services.datastores.open(job.remoteStore, 'read');
      return pull({ ...common, source: new LocalSource(source, job.remoteStore, limiter, ctx.signal) }, sctx);
    }
    const endpoint = await remoteEndpoint(services, job.remote);
    const client = connectRemote(endpoint, job.remoteStore);
    try {
      return await pull(
        { ...common, source: new RemoteSource(client, job.remote, job.remoteStore, limiter, ctx.signal) },
        sctx,
      );
    } catch (err) {
      throw err instanceof AppError && err.code === 'UNAUTHENTICATED' ? remoteError(endpoint, err) : err;
    }
  }
  const remoteName = job.remote as string;
  const { datastore: source } = await services.datastores.open(job.store, 'read');
  const endpoint = await remoteEndpoint(services, remoteName);
  const client = connectRemote(endpoint, job.remoteStore);
  try {
    return await push(
      {
        source,
        sourceStore: job.store,
        sourceNs: job.ns ?? '',
        remote: client,
        remoteName,
        remoteStore: job.remoteStore,
        targetNs: job.remoteNs ?? '',
        owner: job.owner,
        maxDepth: job.maxDepth,
        groupFilter: job.groupFilter,
        removeVanished: job.removeVanished,
        transferLast: job.transferLast,
        encryptedOnly: job.encryptedOnly,
        verifiedOnly: job.verifiedOnly,
        limiter: createByteLimiter({ rate: job.rateOut, burst: job.burstOut }, ctx.clock),
      },
      sctx,
    );
  } catch (err) {
    throw err instanceof AppError && err.code === 'UNAUTHENTICATED' ? remoteError(endpoint, err) : err;
  }
}

/** Starts a sync job's task (run now or by schedule); the job state records it. */
export function startSyncJob(
  services: Services,
  job: SyncJobConfig,
  authId: string,
  schedule?: string,
): Promise<string> {
  checkDistinct(job);
  return startJob(services, {
    jobType: SYNC_JOB_TYPE,
    jobId: job.id,
    workerType: SYNC_JOB_TYPE,
    workerId: syncWorkerId(job),
    authId,
    schedule,
    run: async (ctx) => {
      ctx.log(`Starting datastore sync job '${syncWorkerId(job)}'`);
      await runSync(services, job, ctx);
      ctx.log(`sync job '${syncWorkerId(job)}' end`);
    },
  });
}

/** POST /pull, /push: a one-shot sync task. */
export async function startSyncRun(services: Services, job: SyncOptions, authId: string): Promise<string> {
  checkDistinct(job);
  return services.tasks.spawn({
    type: 'sync',
    id: job.store,
    authId,
    run: async (ctx) => {
      await runSync(services, job, ctx);
    },
  });
}

/** Scheduled sync jobs for the minute scheduler (run as root@pam, as PBS). */
export async function syncJobSources(services: Services) {
  return (await services.syncJobs.read()).items
    .filter((job): job is SyncJobConfig & { schedule: string } => job.schedule !== undefined)
    .map((job) => ({
      jobType: SYNC_JOB_TYPE,
      id: job.id,
      schedule: job.schedule,
      run: () => startSyncJob(services, job, ROOT_AUTH_ID, job.schedule),
    }));
}
