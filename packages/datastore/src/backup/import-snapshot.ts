import { AppError } from '@pbs/api-types/errors';
import type { DatastoreCore } from '../datastore-core.js';
import { createLockedGroup } from '../group-create.js';
import { checkAuthId, isBackupOwner } from '../group-meta.js';
import { checkSnapshot, formatGroup, snapshotDir, type SnapshotRef } from '../hierarchy/backup-ref.js';
import { requireNamespace } from '../hierarchy/listing.js';
import { parseNamespace, type NamespacePath } from '../hierarchy/namespace.js';
import type { HeldLock } from '../locking/backup-locks.js';
import { DataBlob } from '../data-blob.js';
import { decodeManifestBlob } from '../manifest-signature.js';
import { MANIFEST_BLOB_NAME } from '../manifest.js';
import { checkReadableFileName } from '../snapshot-reader.js';
import { removeGroupIfEmpty } from '../snapshot-remove.js';

/*
 * Importing a whole snapshot as raw files (tape restore, PBS restore_snapshot_archive): the
 * group is created or opened under its lock with the owner check of a backup, the snapshot
 * directory must not exist yet, the files are written byte for byte and the manifest last, so
 * the snapshot is finished exactly when all its files are there. Unlike a backup there is no
 * "newer than the last snapshot" rule: restored snapshots keep their times. The caller has
 * inserted the chunks the indexes reference before.
 */

export interface ImportSnapshotOptions {
  ns: NamespacePath;
  snapshot: SnapshotRef;
  authId: string;
  /** every file of the snapshot except the manifest (archives, client.log.blob) */
  files: readonly { name: string; data: Buffer }[];
  /** the raw index.json.blob */
  manifest: Buffer;
}

export async function importSnapshot(core: DatastoreCore, opts: ImportSnapshotOptions): Promise<void> {
  const ns = parseNamespace(opts.ns);
  const snap = checkSnapshot(opts.snapshot);
  const authId = checkAuthId(opts.authId);
  const manifest = decodeManifestBlob(DataBlob.fromRaw(opts.manifest, MANIFEST_BLOB_NAME));
  if (
    manifest.backupType !== snap.type ||
    manifest.backupId !== snap.id ||
    manifest.backupTime !== snap.time
  ) {
    throw new AppError('CORRUPT_DATA', `manifest does not belong to snapshot '${snapshotDir(ns, snap)}'`);
  }
  for (const file of opts.files) checkReadableFileName(file.name);
  await requireNamespace(core, ns);
  const locked = await createLockedGroup(core, ns, snap, authId);
  const held: HeldLock[] = [locked.lock];
  const dir = snapshotDir(ns, snap);
  let dirCreated = false;
  try {
    if (!isBackupOwner(locked.owner, authId)) {
      throw new AppError('PERMISSION_DENIED', `backup owner check failed (${authId} != ${locked.owner})`, {
        details: { group: formatGroup(snap), owner: locked.owner },
      });
    }
    try {
      await core.backend.createDir(dir, { exclusive: true });
    } catch (err) {
      if (err instanceof AppError && err.code === 'ALREADY_EXISTS') {
        throw new AppError('ALREADY_EXISTS', `snapshot '${dir}' already exists`, { cause: err });
      }
      throw err;
    }
    dirCreated = true;
    held.push(await core.locks.lockSnapshot(ns, snap));
    for (const file of opts.files) await core.backend.writeFile(`${dir}/${file.name}`, file.data);
    const manifestLock = await core.locks.lockManifest(ns, snap);
    try {
      await core.backend.writeFile(`${dir}/${MANIFEST_BLOB_NAME}`, opts.manifest);
    } finally {
      manifestLock.release();
    }
    await core.backend.sync();
  } catch (err) {
    if (dirCreated) await core.backend.removeDir(dir, { recursive: true }).catch(() => undefined);
    if (locked.created) await removeGroupIfEmpty(core, ns, snap).catch(() => undefined);
    throw err;
  } finally {
    for (const lock of held.reverse()) lock.release();
  }
}
