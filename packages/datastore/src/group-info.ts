import type { DatastoreCore } from './datastore-core.js';
import { snapshotDir, type BackupGroupRef } from './hierarchy/backup-ref.js';
import { listSnapshotTimes, readSnapshotEntry, type SnapshotEntry } from './hierarchy/listing.js';
import { formatNamespace, type NamespacePath } from './hierarchy/namespace.js';
import { readGroupComment, readOwner } from './group-meta.js';

/*
 * The group list item (PBS GroupListItem, backup_group_to_group_list_item), camelCase.
 * PBS mapping: backup-type/-id → type/id; last-backup → lastBackup (PBS sends 0 for a group
 * without snapshots, we send null); backup-count → backupCount (unfinished snapshots count);
 * files = the archive files of the last finished snapshot (of the only snapshot, if there is
 * just one); owner (PBS hides a group whose owner cannot be read, we list it with null);
 * comment = first line of the group notes. Added: ns.
 */

export interface GroupInfo extends BackupGroupRef {
  ns: NamespacePath;
  lastBackup: number | null;
  backupCount: number;
  files: string[];
  owner: string | null;
  comment?: string;
}

async function lastListedSnapshot(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
  times: readonly number[],
): Promise<SnapshotEntry | undefined> {
  const read = (time: number) => readSnapshotEntry(core, snapshotDir(ns, { ...group, time }), time);
  // a single snapshot may be an unfinished one; otherwise at most the newest is unfinished
  if (times.length === 1) return read(times[0] as number);
  for (let i = times.length - 1; i >= 0; i--) {
    const entry = await read(times[i] as number);
    if (entry.finished) return entry;
  }
  return undefined;
}

export async function buildGroupInfo(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
): Promise<GroupInfo> {
  const times = await listSnapshotTimes(core, ns, group);
  const last = await lastListedSnapshot(core, ns, group, times);
  const owner = await readOwner(core, ns, group);
  return {
    type: group.type,
    id: group.id,
    ns: formatNamespace(ns),
    lastBackup: last?.time ?? null,
    backupCount: times.length,
    files: last?.files ?? [],
    owner: owner || null,
    comment: await readGroupComment(core, ns, group),
  };
}
