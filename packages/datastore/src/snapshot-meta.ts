import { AppError } from '@pbs/api-types/errors';
import type { DatastoreCore } from './datastore-core.js';
import { snapshotDir, type SnapshotRef } from './hierarchy/backup-ref.js';
import { PROTECTED_MARKER, requireSnapshot } from './hierarchy/listing.js';
import { loadManifest, updateManifest } from './snapshot-files.js';

/*
 * Snapshot notes live in the manifest (`unprotected.notes`, pbs-formats §4.1); protection is
 * the empty `.protected` marker file, changed under the exclusive snapshot lock.
 */

export async function getSnapshotNotes(
  core: DatastoreCore,
  ns: readonly string[],
  snap: SnapshotRef,
): Promise<string> {
  const { manifest } = await loadManifest(core, ns, snap);
  const notes = manifest.unprotected.notes;
  return typeof notes === 'string' ? notes : '';
}

export async function setSnapshotNotes(
  core: DatastoreCore,
  ns: readonly string[],
  snap: SnapshotRef,
  notes: string,
): Promise<void> {
  if (typeof notes !== 'string') throw new AppError('INVALID_ARGUMENT', 'notes must be a string');
  await updateManifest(core, ns, snap, (unprotected) => {
    unprotected.notes = notes;
  });
}

export async function isProtected(
  core: DatastoreCore,
  ns: readonly string[],
  snap: SnapshotRef,
): Promise<boolean> {
  return (await core.backend.statFile(`${snapshotDir(ns, snap)}/${PROTECTED_MARKER}`))?.kind === 'file';
}

/** update_protection: BUSY while the snapshot is in use (a reader, verify, or a backup's base). */
export async function setProtected(
  core: DatastoreCore,
  ns: readonly string[],
  snap: SnapshotRef,
  value: boolean,
): Promise<void> {
  await requireSnapshot(core, ns, snap);
  const lock = await core.locks.lockSnapshot(ns, snap);
  try {
    const marker = `${snapshotDir(ns, snap)}/${PROTECTED_MARKER}`;
    if (value) await core.backend.writeFile(marker, '');
    else await core.backend.removeFile(marker);
  } finally {
    lock.release();
  }
}
