import { AppError } from '@pbs/api-types/errors';
import type { Datastore } from '../datastore.js';
import { formatGroup, snapshotDirName } from '../hierarchy/backup-ref.js';
import type { OperationContext } from '../operation-context.js';
import type { GroupPrunePlan, PruneMark } from './prune-plan.js';

/*
 * Executing a prune plan (prune_job.rs prune_datastore): per group, every snapshot is logged with
 * its mark and the ones to remove are destroyed oldest first, each under its own locks. A
 * snapshot that became protected since the plan stays (warning, counted as kept); one that is
 * locked or fails otherwise is skipped with a warning and counted as failed. A group whose last
 * snapshot goes is removed with it. Prune never touches chunks — GC does.
 */

export interface PruneResult {
  removed: number;
  kept: number;
  failed: number;
}

const MARK_TEXT: Readonly<Record<PruneMark['mark'], string>> = {
  keep: 'keep',
  remove: 'remove',
  protected: 'keep protected',
  'keep-partial': 'keep partial',
};

async function removeOne(
  ds: Datastore,
  plan: GroupPrunePlan,
  mark: PruneMark,
  ctx: OperationContext,
  result: PruneResult,
): Promise<void> {
  const name = `${formatGroup(mark.snapshot)}/${snapshotDirName(mark.snapshot.time)}`;
  try {
    await ds.removeSnapshot(plan.ns, mark.snapshot);
    result.removed++;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof AppError && err.code === 'NOT_FOUND') {
      ctx.log(`${name} is already gone`);
      result.removed++;
    } else if (err instanceof AppError && err.details?.reason === 'protected') {
      ctx.warn(`keeping ${name}: it was protected since the prune was planned`);
      result.kept++;
    } else {
      ctx.warn(`failed to remove dir ${name}: ${message}`);
      result.failed++;
    }
  }
}

/** Removes the snapshots marked `keep: false`, oldest first within each group. */
export async function executePrune(
  ds: Datastore,
  plan: readonly GroupPrunePlan[],
  ctx: OperationContext,
): Promise<PruneResult> {
  const result: PruneResult = { removed: 0, kept: 0, failed: 0 };
  const total = plan.reduce((n, g) => n + g.marks.length, 0);
  let done = 0;
  for (const group of plan) {
    ctx.log(`Pruning group ${group.ns}:"${formatGroup(group.group)}"`);
    const marks = [...group.marks].sort((a, b) => a.snapshot.time - b.snapshot.time);
    for (const mark of marks) {
      ctx.signal.throwIfAborted();
      const name = `${formatGroup(mark.snapshot)}/${snapshotDirName(mark.snapshot.time)}`;
      ctx.log(`${mark.keep ? MARK_TEXT[mark.mark] : 'remove'} ${name}`);
      if (mark.keep) result.kept++;
      else await removeOne(ds, group, mark, ctx, result);
      done++;
      ctx.progress({
        phase: 'pruning',
        itemsDone: done,
        itemsTotal: total,
        fraction: total === 0 ? 1 : done / total,
      });
    }
  }
  return result;
}
