import fsp from 'node:fs/promises';
import type { DatastoreCore } from './datastore-core.js';
import { buildGroupInfo, type GroupInfo } from './group-info.js';
import { readOwner } from './group-meta.js';
import { checkGroup, type BackupGroupRef, type SnapshotRef } from './hierarchy/backup-ref.js';
import {
  listGroupRefs,
  listNamespacesRecursive,
  listSnapshotEntries,
  listSnapshotTimes,
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
