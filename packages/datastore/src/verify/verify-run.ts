import type { DatastoreCore } from '../datastore-core.js';
import type { Datastore } from '../datastore.js';
import {
  checkGroup,
  checkSnapshot,
  compareGroups,
  formatGroup,
  type BackupGroupRef,
  type SnapshotRef,
} from '../hierarchy/backup-ref.js';
import {
  listGroupRefs,
  listNamespacesRecursive,
  listSnapshotTimes,
  requireGroup,
  requireNamespace,
  requireSnapshot,
} from '../hierarchy/listing.js';
import {
  clampMaxDepth,
  formatNamespace,
  parseNamespace,
  type NamespacePath,
} from '../hierarchy/namespace.js';
import { formatSnapshotPath } from '../hierarchy/snapshot-path.js';
import type { OperationContext } from '../operation-context.js';
import { VerifyRunState } from './verify-run-state.js';
import { verifySnapshot, type VerifyFilterOptions } from './verify-snapshot.js';

/*
 * Verify (verify.rs verify_all_backups / verify_backup_group / verify_backup_dir, §8): one
 * snapshot, one group, or every group of a namespace and (to maxDepth) the ones below it, in
 * PBS's group order, newest snapshot first. host/benchmark is left out of store-wide runs.
 * Failed snapshots are named as 'ns/a/ns/b/<type>/<id>/<time>' (print_ns_and_snapshot).
 */

export interface VerifyOptions extends VerifyFilterOptions {
  ns: NamespacePath;
  maxDepth?: number;
  group?: BackupGroupRef;
  snapshot?: SnapshotRef;
  /** skip snapshots that already have a verify state (default false) */
  ignoreVerified?: boolean;
  /** with ignoreVerified: re-verify states older than this many days */
  outdatedAfter?: number;
}

export interface VerifyResult {
  failedSnapshots: string[];
  /** snapshots checked (ok or failed) */
  verifiedSnapshots: number;
  /** snapshots skipped: recently verified, in use, or gone */
  skipped: number;
}

interface Work {
  ns: string[];
  group: BackupGroupRef;
  times: number[];
}

async function scope(core: DatastoreCore, opts: VerifyOptions, ns: string[]): Promise<Work[]> {
  if (opts.snapshot) {
    const snap = checkSnapshot(opts.snapshot);
    await requireSnapshot(core, ns, snap);
    return [{ ns, group: snap, times: [snap.time] }];
  }
  if (opts.group) {
    const group = checkGroup(opts.group);
    await requireGroup(core, ns, group);
    return [{ ns, group, times: (await listSnapshotTimes(core, ns, group)).reverse() }];
  }
  const work: Work[] = [];
  for (const child of await listNamespacesRecursive(core, ns, clampMaxDepth(ns, opts.maxDepth))) {
    for (const group of await listGroupRefs(core, child)) {
      if (group.type === 'host' && group.id === 'benchmark') continue;
      work.push({ ns: child, group, times: (await listSnapshotTimes(core, child, group)).reverse() });
    }
  }
  return work.sort(
    (a, b) => compareGroups(a.group, b.group) || formatNamespace(a.ns).localeCompare(formatNamespace(b.ns)),
  );
}

export async function runVerify(
  core: Datastore,
  ctx: OperationContext & { upid: string },
  opts: VerifyOptions,
): Promise<VerifyResult> {
  const ns = parseNamespace(opts.ns);
  await requireNamespace(core, ns);
  const work = await scope(core, opts, ns);
  const total = work.reduce((n, w) => n + w.times.length, 0);
  const run = new VerifyRunState(core, ctx, total);
  const result: VerifyResult = { failedSnapshots: [], verifiedSnapshots: 0, skipped: 0 };
  ctx.log(`verify datastore ${core.name}`);
  if (!opts.snapshot) ctx.log(`found ${work.length} groups`);
  for (const [pos, item] of work.entries()) {
    if (!opts.snapshot)
      ctx.log(`verify group ${core.name}:${formatGroup(item.group)} (${item.times.length} snapshots)`);
    for (const time of item.times) {
      ctx.signal.throwIfAborted();
      const snap = { ...item.group, time };
      const outcome = await verifySnapshot(run, item.ns, snap, opts);
      if (outcome === 'skipped') result.skipped++;
      else result.verifiedSnapshots++;
      if (outcome === 'failed')
        result.failedSnapshots.push(formatSnapshotPath(formatNamespace(item.ns), snap));
      run.snapshotsDone++;
      run.report();
    }
    ctx.log(
      `percentage done: ${Math.floor((run.snapshotsDone * 100) / Math.max(total, 1))}% (${pos + 1} of ${work.length} groups)`,
    );
  }
  if (result.failedSnapshots.length > 0) {
    ctx.log('Failed to verify the following snapshots/groups:');
    for (const name of result.failedSnapshots) ctx.log(`\t${name}`);
  }
  return result;
}
