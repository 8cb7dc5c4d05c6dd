import type { Datastore } from '../datastore.js';
import { checkGroup, type BackupGroupRef, type SnapshotRef } from '../hierarchy/backup-ref.js';
import {
  listGroupRefs,
  listNamespacesRecursive,
  listSnapshotEntries,
  requireGroup,
  requireNamespace,
} from '../hierarchy/listing.js';
import {
  clampMaxDepth,
  formatNamespace,
  parseNamespace,
  type NamespacePath,
} from '../hierarchy/namespace.js';
import { computePruneMarks, type KeepOptions, type PruneMarkKind } from './prune-marks.js';
import type { PruneTimeZone } from './prune-period.js';

/*
 * The prune plan is the dry run the UI shows (api2/admin/datastore.rs prune with dry-run, and
 * prune_datastore): per group, every snapshot with its mark, oldest first — the order in which
 * executePrune removes them.
 */

export interface PruneMark {
  snapshot: SnapshotRef;
  keep: boolean;
  mark: PruneMarkKind;
  reason: string;
}

export interface GroupPrunePlan {
  ns: NamespacePath;
  group: BackupGroupRef;
  marks: PruneMark[];
}

export interface PlanOptions {
  timeZone?: PruneTimeZone;
}

async function planGroup(
  ds: Datastore,
  ns: readonly string[],
  group: BackupGroupRef,
  keep: KeepOptions,
  opts: PlanOptions,
): Promise<PruneMark[]> {
  const entries = await listSnapshotEntries(ds, ns, group);
  const computed = computePruneMarks(entries, keep, { timeZone: opts.timeZone });
  return computed
    .reverse()
    .map((m) => ({ snapshot: { ...group, time: m.time }, keep: m.keep, mark: m.mark, reason: m.reason }));
}

/** The marks of one group's snapshots, oldest first. */
export async function planPrune(
  ds: Datastore,
  ns: NamespacePath,
  group: BackupGroupRef,
  keep: KeepOptions,
  opts: PlanOptions = {},
): Promise<PruneMark[]> {
  const components = parseNamespace(ns);
  const checked = checkGroup(group);
  await requireGroup(ds, components, checked);
  return planGroup(ds, components, checked, keep, opts);
}

/** Every group of `ns` and, to maxDepth levels (default all), of the namespaces below it. */
export async function planPruneNamespace(
  ds: Datastore,
  ns: NamespacePath,
  keep: KeepOptions,
  opts: PlanOptions & { maxDepth?: number } = {},
): Promise<GroupPrunePlan[]> {
  const components = parseNamespace(ns);
  const depth = clampMaxDepth(components, opts.maxDepth);
  await requireNamespace(ds, components);
  const plans: GroupPrunePlan[] = [];
  for (const child of await listNamespacesRecursive(ds, components, depth)) {
    for (const group of await listGroupRefs(ds, child)) {
      plans.push({ ns: formatNamespace(child), group, marks: await planGroup(ds, child, group, keep, opts) });
    }
  }
  return plans;
}
