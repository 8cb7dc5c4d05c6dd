import { AppError } from '@pbs/api-types/errors';
import type { DatastoreCore } from './datastore-core.js';
import { groupDir, type BackupGroupRef } from './hierarchy/backup-ref.js';
import { listSnapshotTimes } from './hierarchy/listing.js';
import type { HeldLock } from './locking/backup-locks.js';
import { readOwner, writeOwner } from './group-meta.js';

/*
 * create_locked_backup_group: create the group directory if needed, take the exclusive group
 * lock, and write the owner file of a new group. Deliberate difference to PBS: a group left
 * without an owner file by a crash between mkdir and the owner write, and holding no snapshot,
 * is treated as new instead of failing every later backup into it.
 */

export interface LockedGroup {
  /** the owner recorded for the group (authId if it was created now) */
  readonly owner: string;
  readonly created: boolean;
  readonly lock: HeldLock;
}

async function ensureOwner(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
  authId: string,
  created: boolean,
): Promise<{ owner: string; created: boolean }> {
  const owner = await readOwner(core, ns, group);
  if (owner) return { owner, created: false };
  if (!created && (await listSnapshotTimes(core, ns, group)).length > 0) {
    throw new AppError(
      'CORRUPT_DATA',
      `datastore '${core.name}': group '${groupDir(ns, group)}' has no owner`,
    );
  }
  await writeOwner(core, ns, group, authId, { exclusive: true });
  return { owner: authId, created: true };
}

/** BUSY if another operation holds the group; the caller releases `lock`. */
export async function createLockedGroup(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
  authId: string,
): Promise<LockedGroup> {
  const dir = groupDir(ns, group);
  const created = await core.backend.createDir(dir, { parents: true });
  let lock: HeldLock;
  try {
    lock = await core.locks.lockGroup(ns, group);
  } catch (err) {
    if (created) await core.backend.removeDir(dir).catch(() => undefined);
    throw err;
  }
  try {
    // the directory may have been removed with its last snapshot before we got the lock
    await core.backend.createDir(dir, { parents: true });
    return { ...(await ensureOwner(core, ns, group, authId, created)), lock };
  } catch (err) {
    lock.release();
    throw err;
  }
}
