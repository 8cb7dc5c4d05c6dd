import { AppError } from '@pbs/api-types/errors';
import type { DatastoreCore } from './datastore-core.js';
import {
  formatSnapshot,
  groupDir,
  snapshotDir,
  type BackupGroupRef,
  type SnapshotRef,
} from './hierarchy/backup-ref.js';
import { listSnapshotTimes, requireGroup, requireSnapshot } from './hierarchy/listing.js';
import { MANIFEST_BLOB_NAME } from './manifest.js';
import { isProtected } from './snapshot-meta.js';

/*
 * Removing snapshots and groups (BackupDir::destroy, BackupGroup::destroy). A snapshot goes under
 * its exclusive lock and the manifest lock; the manifest is deleted first, so a removal cut
 * short by a crash leaves an unfinished snapshot (which prune and listings handle) rather than
 * a "finished" one with missing archives. A group whose last snapshot went is removed with its
 * owner and notes, under the group lock.
 */

export interface RemoveGroupResult {
  removedSnapshots: number;
  protectedKept: number;
}

/** Removes an empty group's directory (owner, notes, leftovers) and its lock file. */
async function removeGroupDir(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
): Promise<void> {
  await core.backend.removeDir(groupDir(ns, group), { recursive: true });
  await core.locks.removeGroupLockFile(ns, group);
}

/** With the group lock held: removes the group if no snapshot directory is left. */
export async function removeGroupIfEmpty(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
): Promise<boolean> {
  if ((await listSnapshotTimes(core, ns, group)).length > 0) return false;
  await removeGroupDir(core, ns, group);
  return true;
}

async function tryRemoveEmptyGroup(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
): Promise<void> {
  let lock;
  try {
    lock = await core.locks.lockGroup(ns, group);
  } catch (err) {
    // still in use (a backup, or a caller that cleans up itself): the snapshot is gone anyway
    if (err instanceof AppError && err.code === 'BUSY') return;
    throw err;
  }
  try {
    await removeGroupIfEmpty(core, ns, group);
  } finally {
    lock.release();
  }
}

/**
 * destroy: INVALID_ARGUMENT for a protected snapshot unless `force`; BUSY while the snapshot is
 * in use. `groupLocked` says the caller holds the group lock and cleans up the group itself.
 */
export async function destroySnapshot(
  core: DatastoreCore,
  ns: readonly string[],
  snap: SnapshotRef,
  opts: { force?: boolean; groupLocked?: boolean } = {},
): Promise<void> {
  await requireSnapshot(core, ns, snap);
  const lock = await core.locks.lockSnapshot(ns, snap);
  try {
    const manifestLock = await core.locks.lockManifest(ns, snap);
    try {
      if (!opts.force && (await isProtected(core, ns, snap))) {
        throw new AppError('INVALID_ARGUMENT', `cannot remove protected snapshot '${formatSnapshot(snap)}'`, {
          details: { snapshot: snap, reason: 'protected' },
        });
      }
      const dir = snapshotDir(ns, snap);
      await core.backend.removeFile(`${dir}/${MANIFEST_BLOB_NAME}`);
      await core.backend.removeDir(dir, { recursive: true });
      await core.locks.removeSnapshotLockFiles(ns, snap);
    } finally {
      manifestLock.release();
    }
  } finally {
    lock.release();
  }
  if (!opts.groupLocked) await tryRemoveEmptyGroup(core, ns, snap);
}

/** BackupGroup::destroy under the group lock: protected snapshots stay, and so does the group. */
export async function removeGroup(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
): Promise<RemoveGroupResult> {
  await requireGroup(core, ns, group);
  const lock = await core.locks.lockGroup(ns, group);
  try {
    return await removeGroupLocked(core, ns, group);
  } finally {
    lock.release();
  }
}

/** The body of removeGroup, for callers that already hold the group lock. */
export async function removeGroupLocked(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
): Promise<RemoveGroupResult> {
  const result: RemoveGroupResult = { removedSnapshots: 0, protectedKept: 0 };
  for (const time of await listSnapshotTimes(core, ns, group)) {
    const snap = { ...group, time };
    if (await isProtected(core, ns, snap)) {
      result.protectedKept++;
      continue;
    }
    await destroySnapshot(core, ns, snap, { groupLocked: true });
    result.removedSnapshots++;
  }
  if (result.protectedKept === 0) await removeGroupIfEmpty(core, ns, group);
  return result;
}
