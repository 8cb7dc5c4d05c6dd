import { AppError } from '@pbs/api-types/errors';
import type { DatastoreCore } from '../datastore-core.js';
import { createLockedGroup } from '../group-create.js';
import { checkAuthId, isBackupOwner } from '../group-meta.js';
import {
  checkBackupTime,
  checkGroup,
  formatGroup,
  snapshotDir,
  type BackupGroupRef,
  type SnapshotRef,
} from '../hierarchy/backup-ref.js';
import { lastFinishedTime, requireNamespace } from '../hierarchy/listing.js';
import { parseNamespace, type NamespacePath } from '../hierarchy/namespace.js';
import type { HeldLock } from '../locking/backup-locks.js';
import type { OperationContext } from '../operation-context.js';
import { verificationOf } from '../snapshot-info.js';
import { removeGroupIfEmpty } from '../snapshot-remove.js';
import { loadManifest } from '../snapshot-files.js';
import { BackupWriterImpl, type BackupWriter } from './backup-writer.js';
import { WriterLocks } from './writer-locks.js';

/*
 * Starting a backup (api2/backup/mod.rs upgrade_to_backup_protocol): the namespace must exist;
 * the group is created (with its owner) or opened under its exclusive lock; only the owner, or
 * the user of an owning token, may add snapshots; the time must be newer than the last
 * finished snapshot; the base snapshot is locked shared; the new snapshot directory is created
 * and locked; the shared chunk store guard registers the writer for GC.
 * Difference to PBS: the time check uses the last finished snapshot even when its verification
 * failed (PBS then skips the check), so snapshot times always grow within a group.
 */

export interface BeginBackupOptions {
  ns: NamespacePath;
  group: BackupGroupRef;
  time: number;
  authId: string;
  /**
   * PBS `no-cache`: chunks go to the object store without a cached copy (benchmarks,
   * non-deduplicating data). No effect on local datastores.
   */
  noCache?: boolean;
  /**
   * Sync (resync-corrupt): the snapshot may be older than the group's last finished one. Its
   * directory must still not exist.
   */
  allowOlder?: boolean;
}

async function baseSnapshot(
  core: DatastoreCore,
  ns: readonly string[],
  last: SnapshotRef,
  warn: (msg: string) => void,
): Promise<SnapshotRef | undefined> {
  try {
    const { manifest } = await loadManifest(core, ns, last);
    return verificationOf(manifest)?.state === 'failed' ? undefined : last;
  } catch (err) {
    warn(`error parsing the snapshot manifest: ${err instanceof Error ? err.message : String(err)}`);
    return last;
  }
}

async function createSnapshotDir(
  core: DatastoreCore,
  ns: readonly string[],
  snap: SnapshotRef,
): Promise<void> {
  try {
    await core.backend.createDir(snapshotDir(ns, snap), { exclusive: true });
  } catch (err) {
    if (err instanceof AppError && err.code === 'ALREADY_EXISTS') {
      throw new AppError('ALREADY_EXISTS', `backup directory '${snapshotDir(ns, snap)}' already exists`, {
        cause: err,
      });
    }
    throw err;
  }
}

export async function beginBackup(
  core: DatastoreCore,
  opts: BeginBackupOptions,
  ctx?: Pick<OperationContext, 'warn'>,
): Promise<BackupWriter> {
  const ns = parseNamespace(opts.ns);
  const group = checkGroup(opts.group);
  const snap: SnapshotRef = { ...group, time: checkBackupTime(opts.time) };
  const authId = checkAuthId(opts.authId);
  await requireNamespace(core, ns);
  const locked = await createLockedGroup(core, ns, group, authId);
  const held: HeldLock[] = [locked.lock];
  let dirCreated = false;
  try {
    if (!isBackupOwner(locked.owner, authId)) {
      throw new AppError('PERMISSION_DENIED', `backup owner check failed (${authId} != ${locked.owner})`, {
        details: { group: formatGroup(group), owner: locked.owner },
      });
    }
    const lastTime = await lastFinishedTime(core, ns, group);
    if (lastTime !== undefined && snap.time <= lastTime && opts.allowOlder !== true) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `backup timestamp ${snap.time} is not newer than the last backup (${lastTime})`,
      );
    }
    const previous =
      lastTime === undefined
        ? undefined
        : await baseSnapshot(core, ns, { ...group, time: lastTime }, (m) => ctx?.warn(m));
    const base = previous && (await core.locks.lockSnapshot(ns, previous, { shared: true }));
    if (base) held.push(base);
    await createSnapshotDir(core, ns, snap);
    dirCreated = true;
    const snapshotLock = await core.locks.lockSnapshot(ns, snap);
    held.push(snapshotLock);
    const guard = await core.processLocker.acquireShared(core.nowSec());
    const locks = new WriterLocks(
      core,
      ns,
      group,
      { group: locked.lock, snapshot: snapshotLock, base, guard },
      guard.since,
    );
    return new BackupWriterImpl(core, ns, snap, previous, locks, { noCache: opts.noCache === true });
  } catch (err) {
    if (dirCreated)
      await core.backend.removeDir(snapshotDir(ns, snap), { recursive: true }).catch(() => undefined);
    // a group created for a backup that could not start goes again (the group lock is held)
    if (locked.created) await removeGroupIfEmpty(core, ns, group).catch(() => undefined);
    for (const lock of held.reverse()) lock.release();
    throw err;
  }
}
