/*
 * The client's log of a finished backup (`client.log.blob`, PBS upload-backup-log): uploaded
 * once after the backup, never listed in the manifest, refused when one exists.
 */
import { AppError } from '@pbs/api-types/errors';
import { DataBlob } from './data-blob.js';
import type { DatastoreCore } from './datastore-core.js';
import { snapshotDir, type SnapshotRef } from './hierarchy/backup-ref.js';
import { CLIENT_LOG_BLOB_NAME, MANIFEST_BLOB_NAME } from './manifest.js';

export async function uploadClientLog(
  core: DatastoreCore,
  ns: readonly string[],
  snap: SnapshotRef,
  raw: Buffer,
): Promise<void> {
  const dir = snapshotDir(ns, snap);
  if ((await core.backend.statFile(`${dir}/${MANIFEST_BLOB_NAME}`))?.kind !== 'file') {
    throw new AppError(
      'NOT_FOUND',
      `datastore '${core.name}': snapshot '${dir}' does not exist or is unfinished`,
    );
  }
  const blob = DataBlob.load(raw, `upload '${CLIENT_LOG_BLOB_NAME}'`);
  try {
    await core.backend.writeFile(`${dir}/${CLIENT_LOG_BLOB_NAME}`, blob.raw, { exclusive: true });
  } catch (err) {
    if (err instanceof AppError && err.code === 'ALREADY_EXISTS') {
      throw new AppError('ALREADY_EXISTS', `snapshot '${dir}' already contains a log`, { cause: err });
    }
    throw err;
  }
}
