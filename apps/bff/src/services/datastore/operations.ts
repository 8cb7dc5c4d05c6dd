/**
 * The long datastore operations as worker tasks, named as PBS names them: garbage_collection
 * (job type and worker type, id = store), verify / verify_group / verify_snapshot, prune,
 * prunejob and verificationjob. Failures end the task with an error; they never throw at the UI.
 */
import type { KeepOptions, PruneJobConfig, VerifyJobConfig, VerifyRunInput } from '@pbs/api-types';
import {
  executePrune,
  formatGroup,
  planPrune,
  planPruneNamespace,
  runGarbageCollection,
  runVerify,
  snapshotDirName,
  type BackupGroupRef,
  type GroupPrunePlan,
} from '@pbs/datastore';
import type { TaskContext } from '@pbs/tasks';
import type { Services } from '../services.js';
import { startJob } from './run-job.js';

function nsPath(store: string, ns: string): string {
  return ns === '' ? store : `${store}:${ns}`;
}

export function startGarbageCollection(
  services: Services,
  store: string,
  authId: string,
  schedule?: string,
): Promise<string> {
  return startJob(services, {
    jobType: 'garbage_collection',
    jobId: store,
    workerType: 'garbage_collection',
    workerId: store,
    authId,
    schedule,
    run: async (ctx) => {
      const { datastore } = await services.datastores.open(store, 'write');
      ctx.log(`starting garbage collection on store ${store}`);
      await runGarbageCollection(datastore, ctx);
    },
  });
}

function verifyWorker(store: string, input: VerifyRunInput): { type: string; id: string } {
  const ns = input.ns ?? '';
  if (input.snapshot !== undefined) {
    const { type, id, time } = input.snapshot;
    const hex = time.toString(16).toUpperCase().padStart(8, '0');
    return { type: 'verify_snapshot', id: `${store}:${ns}/${type}/${id}/${hex}` };
  }
  if (input.group !== undefined)
    return { type: 'verify_group', id: `${store}:${ns}/${input.group.type}/${input.group.id}` };
  return { type: 'verify', id: nsPath(store, ns) };
}

export async function startVerify(
  services: Services,
  store: string,
  input: VerifyRunInput,
  authId: string,
): Promise<string> {
  await services.datastores.open(store, 'read');
  const worker = verifyWorker(store, input);
  return services.tasks.spawn({
    type: worker.type,
    id: worker.id,
    authId,
    run: async (ctx) => {
      const { datastore } = await services.datastores.open(store, 'read');
      const result = await runVerify(datastore, ctx, {
        ns: input.ns ?? '',
        maxDepth: input.maxDepth,
        group: input.group,
        snapshot: input.snapshot,
        ignoreVerified: input.ignoreVerified,
        outdatedAfter: input.outdatedAfter,
      });
      if (result.failedSnapshots.length > 0) {
        throw new Error(
          `verification failed on ${result.failedSnapshots.length} snapshot(s): ${result.failedSnapshots.join(', ')}`,
        );
      }
    },
  });
}

export interface PruneRequest {
  store: string;
  ns: string;
  group?: BackupGroupRef;
  maxDepth?: number;
  keep: KeepOptions;
  /** which groups of a namespace-wide prune the caller may prune (default: all) */
  mayPrune?: (ns: string, owner: string | null) => Promise<boolean>;
  /** only log what would be removed (PBS prune-datastore dry-run) */
  dryRun?: boolean;
}

const MARK_TEXT: Record<GroupPrunePlan['marks'][number]['mark'], string> = {
  keep: 'keep',
  remove: 'remove',
  protected: 'keep protected',
  'keep-partial': 'keep partial',
};

/** PBS's dry-run log: every snapshot with what would happen to it; nothing is removed. */
function logDryRun(plan: GroupPrunePlan[], ctx: TaskContext): void {
  ctx.log('(dry test run)');
  for (const group of plan) {
    ctx.log(`Pruning group ${group.ns}:"${formatGroup(group.group)}"`);
    for (const m of [...group.marks].sort((a, b) => a.snapshot.time - b.snapshot.time)) {
      const mark = m.keep ? MARK_TEXT[m.mark] : 'remove';
      ctx.log(`would ${mark} ${formatGroup(m.snapshot)}/${snapshotDirName(m.snapshot.time)}`);
    }
  }
}

export async function startPrune(services: Services, req: PruneRequest, authId: string): Promise<string> {
  await services.datastores.open(req.store, 'write');
  const id =
    req.group === undefined
      ? nsPath(req.store, req.ns)
      : `${req.store}:${req.ns}:${req.group.type}/${req.group.id}`;
  return services.tasks.spawn({
    type: 'prune',
    id,
    authId,
    run: async (ctx) => {
      const { datastore } = await services.datastores.open(req.store, 'write');
      const plan =
        req.group === undefined
          ? await planPruneNamespace(datastore, req.ns, req.keep, { maxDepth: req.maxDepth })
          : [
              {
                ns: req.ns,
                group: req.group,
                marks: await planPrune(datastore, req.ns, req.group, req.keep),
              },
            ];
      const { mayPrune } = req;
      const allowed =
        mayPrune === undefined
          ? plan
          : await filterAsync(plan, async (g) =>
              mayPrune(g.ns, await datastore.getOwner(g.ns, g.group).catch(() => null)),
            );
      if (req.dryRun === true) return logDryRun(allowed, ctx);
      const result = await executePrune(datastore, allowed, ctx);
      ctx.log(`pruned: ${result.removed} removed, ${result.kept} kept, ${result.failed} failed`);
      if (result.failed > 0) throw new Error(`${result.failed} snapshot(s) could not be removed`);
    },
  });
}

async function filterAsync<T>(items: T[], keep: (item: T) => Promise<boolean>): Promise<T[]> {
  const out: T[] = [];
  for (const item of items) if (await keep(item)) out.push(item);
  return out;
}

function keepOf(job: KeepOptions): KeepOptions {
  const { keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly } = job;
  return { keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly };
}

export function startPruneJob(
  services: Services,
  job: PruneJobConfig,
  authId: string,
  schedule?: string,
): Promise<string> {
  const ns = job.ns ?? '';
  return startJob(services, {
    jobType: 'prunejob',
    jobId: job.id,
    workerType: 'prunejob',
    workerId: nsPath(job.store, ns),
    authId,
    schedule,
    run: async (ctx) => {
      ctx.log(`prune job '${job.id}'`);
      const { datastore } = await services.datastores.open(job.store, 'write');
      const plan = await planPruneNamespace(datastore, ns, keepOf(job), { maxDepth: job.maxDepth });
      const result = await executePrune(datastore, plan, ctx);
      ctx.log(`pruned: ${result.removed} removed, ${result.kept} kept, ${result.failed} failed`);
      if (result.failed > 0) throw new Error(`${result.failed} snapshot(s) could not be removed`);
    },
  });
}

export function startVerifyJob(
  services: Services,
  job: VerifyJobConfig,
  authId: string,
  schedule?: string,
): Promise<string> {
  return startJob(services, {
    jobType: 'verificationjob',
    jobId: job.id,
    workerType: 'verificationjob',
    workerId: `${job.store}:${job.id}`,
    authId,
    schedule,
    run: async (ctx) => {
      const { datastore } = await services.datastores.open(job.store, 'read');
      const result = await runVerify(datastore, ctx, {
        ns: job.ns ?? '',
        maxDepth: job.maxDepth,
        ignoreVerified: job.ignoreVerified ?? true,
        outdatedAfter: job.outdatedAfter,
      });
      if (result.failedSnapshots.length > 0) {
        throw new Error(`verification failed on ${result.failedSnapshots.length} snapshot(s)`);
      }
    },
  });
}
