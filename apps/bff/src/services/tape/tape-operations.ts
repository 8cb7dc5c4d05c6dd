/**
 * Tape backup and restore as worker tasks: the one-shot backup (POST /tape/backup), the backup
 * job (its job state kept like every job's), scheduled jobs for the minute scheduler, and the
 * restore of a media set into datastores and namespaces.
 */
import {
  AppError,
  type TapeBackupInput,
  type TapeBackupJobConfig,
  type TapeRestoreInput,
} from '@pbs/api-types';
import type { Datastore } from '@pbs/datastore';
import { MediaCatalog, runTapeBackup, runTapeRestore, tapeContext, type TapeContext } from '@pbs/tape';
import type { ScheduledJob } from '@pbs/tasks';
import { SCHEDULER_AUTH_ID } from '../datastore/job-sources.js';
import { startJob } from '../datastore/run-job.js';
import type { Services } from '../services.js';

async function backup(services: Services, ctx: TapeContext, setup: TapeBackupInput): Promise<void> {
  const pool = await services.tape.pool(setup.pool);
  const device = await services.tape.device(setup.drive);
  const { datastore } = await services.datastores.open(setup.store, 'read');
  await runTapeBackup(ctx, {
    store: datastore,
    device,
    inventory: await services.tape.inventory(),
    stateDir: services.tape.stateDir,
    pool,
    ns: setup.ns,
    maxDepth: setup.maxDepth,
    groupFilter: setup.groupFilter,
    latestOnly: setup.latestOnly,
    forceMediaSet: setup.forceMediaSet,
    ejectMedia: setup.ejectMedia,
    exportMediaSet: setup.exportMediaSet,
    encryptionKeys: services.tape.keyLookup,
  });
}

/** checks the names before a task starts, so a typo fails the request and not a task */
async function checkSetup(
  services: Services,
  setup: { store: string; pool: string; drive: string },
): Promise<void> {
  await services.datastores.configOf(setup.store);
  await services.tape.pool(setup.pool);
  await services.tape.drives.get(setup.drive);
}

export async function startTapeBackup(
  services: Services,
  setup: TapeBackupInput,
  authId: string,
): Promise<string> {
  await checkSetup(services, setup);
  return services.tape.spawn('tape-backup', `${setup.store}:${setup.pool}:${setup.drive}`, authId, (ctx) =>
    backup(services, ctx, setup),
  );
}

export async function startTapeBackupJob(
  services: Services,
  job: TapeBackupJobConfig,
  authId: string,
  schedule?: string,
): Promise<string> {
  await checkSetup(services, job);
  return startJob(services, {
    jobType: 'tape-backup-job',
    jobId: job.id,
    workerType: 'tape-backup-job',
    workerId: job.id,
    authId,
    schedule,
    run: (taskCtx) => backup(services, tapeContext(taskCtx), job),
  });
}

export async function tapeJobSources(services: Services): Promise<ScheduledJob[]> {
  const jobs: ScheduledJob[] = [];
  for (const job of (await services.tape.jobs.read()).items) {
    const schedule = job.schedule;
    if (schedule === undefined) continue;
    jobs.push({
      jobType: 'tape-backup-job',
      id: job.id,
      schedule,
      run: () => startTapeBackupJob(services, job, SCHEDULER_AUTH_ID, schedule),
    });
  }
  return jobs;
}

/** PBS `store` of a restore: 'target' for all, or 'source=target,…' */
export function parseStoreMapping(text: string): (source: string) => string | undefined {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  let fallback: string | undefined;
  const map = new Map<string, string>();
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (fallback !== undefined)
        throw new AppError('INVALID_ARGUMENT', `store mapping '${text}': two default targets`);
      fallback = part;
    } else {
      map.set(part.slice(0, eq), part.slice(eq + 1));
    }
  }
  return (source) => map.get(source) ?? fallback;
}

/** the target stores a restore writes to (for the privilege check before the task starts) */
export function restoreTargets(input: TapeRestoreInput, sourceStores: readonly string[]): string[] {
  const mapping = parseStoreMapping(input.store);
  return [...new Set(sourceStores.map(mapping).filter((s): s is string => s !== undefined))];
}

export async function startTapeRestore(
  services: Services,
  input: TapeRestoreInput,
  authId: string,
): Promise<string> {
  const mapping = parseStoreMapping(input.store);
  await services.tape.drives.get(input.drive);
  return services.tape.spawn('tape-restore', input.drive, authId, async (ctx) => {
    const opened = new Map<string, Datastore>();
    const sources = new Set<string>();
    for (const s of input.snapshots ?? []) sources.add(s.slice(0, s.indexOf(':')));
    for (const n of input.namespaces ?? []) sources.add(n.store);
    const inventory = await services.tape.inventory();
    for (const id of inventory.mediaSetMembers(input.mediaSet)) {
      const catalog = id && (await MediaCatalog.load(services.tape.stateDir, id.label.uuid));
      for (const s of catalog ? catalog.snapshots() : []) sources.add(s.store);
    }
    for (const source of sources) {
      const target = mapping(source);
      if (target === undefined || opened.has(source)) continue;
      opened.set(source, (await services.datastores.open(target, 'write')).datastore);
    }
    const result = await runTapeRestore(ctx, {
      device: await services.tape.device(input.drive),
      inventory,
      stateDir: services.tape.stateDir,
      mediaSet: input.mediaSet,
      targets: (store) => opened.get(store),
      snapshots: input.snapshots,
      namespaces: input.namespaces?.map((n) => ({
        store: n.store,
        source: n.source,
        target: n.target,
        maxDepth: n.maxDepth,
      })),
      owner: input.owner ?? authId,
      encryptionKeys: services.tape.keyLookup,
    });
    ctx.log(
      `restore finished: ${result.restored.length} snapshots, ${result.chunks} chunks from ${result.media.join(', ')}`,
    );
  });
}
