import fsp from 'node:fs/promises';
import type { DatastoreCore } from './datastore-core.js';
import { buildGroupInfo, type GroupInfo } from './group-info.js';
import { readOwner } from './group-meta.js';
import { checkGroup, snapshotDir, type BackupGroupRef, type SnapshotRef } from './hierarchy/backup-ref.js';
import {
  listGroupRefs,
  listNamespacesRecursive,
  listSnapshotEntries,
  listSnapshotTimes,
  readSnapshotEntry,
  requireGroup,
  requireNamespace,
  requireSnapshot,
} from './hierarchy/listing.js';
import { clampMaxDepth, parseNamespace, type NamespacePath } from './hierarchy/namespace.js';
import { mapLimit } from './map-limit.js';
import type { BackupType } from './names.js';
import { buildSnapshotInfo, readSnapshotInfo, type SnapshotInfo } from './snapshot-info.js';

/*
 * The read-only views of the API (api2/admin/datastore.rs): groups and snapshots of a namespace,
 * the per-type counts of the status page, and the filesystem usage of the datastore.
 */

const GROUP_CONCURRENCY = 4;
const SNAPSHOT_CONCURRENCY = 16;

export interface TypeCounts {
  groups: number;
  snapshots: number;
}

export type BackupCounts = Record<BackupType, TypeCounts>;

export async function listGroups(core: DatastoreCore, ns: NamespacePath): Promise<GroupInfo[]> {
  const components = parseNamespace(ns);
  await requireNamespace(core, components);
  const groups = await listGroupRefs(core, components);
  return mapLimit(groups, SNAPSHOT_CONCURRENCY, (group) => buildGroupInfo(core, components, group));
}

async function groupSnapshots(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
): Promise<SnapshotInfo[]> {
  const owner = (await readOwner(core, ns, group)) || null;
  const entries = await listSnapshotEntries(core, ns, group);
  return mapLimit(entries, SNAPSHOT_CONCURRENCY, (entry) => buildSnapshotInfo(core, ns, group, entry, owner));
}

/** Snapshots of one group, or of every group of the namespace: by group, oldest first. */
export async function listSnapshots(
  core: DatastoreCore,
  ns: NamespacePath,
  group?: BackupGroupRef,
): Promise<SnapshotInfo[]> {
  const components = parseNamespace(ns);
  await requireNamespace(core, components);
  let groups: BackupGroupRef[];
  if (group === undefined) {
    groups = await listGroupRefs(core, components);
  } else {
    groups = [checkGroup(group)];
    await requireGroup(core, components, groups[0] as BackupGroupRef);
  }
  const lists = await mapLimit(groups, GROUP_CONCURRENCY, (g) => groupSnapshots(core, components, g));
  return lists.flat();
}

export interface SnapshotPageOptions {
  group?: BackupGroupRef;
  /** only this backup time */
  time?: number;
  /** which groups the caller may see, by owner */
  visible?: (owner: string | null) => boolean;
  start: number;
  limit: number;
}

/**
 * One page of the snapshots of a namespace (or group), newest first: the snapshot times come
 * from one directory listing per group, and only the page's snapshots are opened, so the first
 * page of 10,000 snapshots costs as much as a page of 50.
 */
export async function listSnapshotPage(
  core: DatastoreCore,
  ns: NamespacePath,
  opts: SnapshotPageOptions,
): Promise<{ total: number; items: SnapshotInfo[] }> {
  const components = parseNamespace(ns);
  await requireNamespace(core, components);
  let groups: BackupGroupRef[];
  if (opts.group === undefined) {
    groups = await listGroupRefs(core, components);
  } else {
    groups = [checkGroup(opts.group)];
    await requireGroup(core, components, groups[0] as BackupGroupRef);
  }
  const perGroup = await mapLimit(groups, SNAPSHOT_CONCURRENCY, async (group) => {
    const owner = (await readOwner(core, components, group)) || null;
    if (opts.visible !== undefined && !opts.visible(owner)) return [];
    const times = await listSnapshotTimes(core, components, group);
    return times
      .filter((t) => opts.time === undefined || t === opts.time)
      .map((time) => ({ group, time, owner }));
  });
  const all = perGroup.flat();
  all.sort(
    (a, b) =>
      b.time - a.time || a.group.type.localeCompare(b.group.type) || a.group.id.localeCompare(b.group.id),
  );
  const page = all.slice(opts.start, opts.start + opts.limit);
  const items = await mapLimit(page, SNAPSHOT_CONCURRENCY, async ({ group, time, owner }) => {
    const entry = await readSnapshotEntry(core, snapshotDir(components, { ...group, time }), time);
    return buildSnapshotInfo(core, components, group, entry, owner);
  });
  return { total: all.length, items };
}

export async function snapshotInfo(
  core: DatastoreCore,
  ns: readonly string[],
  snap: SnapshotRef,
): Promise<SnapshotInfo> {
  await requireSnapshot(core, ns, snap);
  return readSnapshotInfo(core, ns, snap, (await readOwner(core, ns, snap)) || null);
}

/** PBS's "backup counts" over all namespaces; groups without snapshots are not counted. */
export async function countBackups(core: DatastoreCore): Promise<BackupCounts> {
  const counts: BackupCounts = {
    ct: { groups: 0, snapshots: 0 },
    host: { groups: 0, snapshots: 0 },
    vm: { groups: 0, snapshots: 0 },
  };
  for (const ns of await listNamespacesRecursive(core, [], clampMaxDepth([]))) {
    for (const group of await listGroupRefs(core, ns)) {
      const snapshots = (await listSnapshotTimes(core, ns, group)).length;
      if (snapshots === 0) continue;
      counts[group.type].groups++;
      counts[group.type].snapshots += snapshots;
    }
  }
  return counts;
}

/** statfs of the datastore directory (for object stores: of the local cache). */
export async function diskUsage(
  core: DatastoreCore,
): Promise<{ total: number; used: number; avail: number }> {
  const st = await fsp.statfs(core.backend.localBase);
  return {
    total: st.blocks * st.bsize,
    used: (st.blocks - st.bfree) * st.bsize,
    avail: st.bavail * st.bsize,
  };
}
