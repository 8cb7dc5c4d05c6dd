/*
 * A reader session on one snapshot (api2/reader): it holds the snapshot's shared lock, so prune
 * and forget cannot remove the snapshot while a restore reads it, and serves the raw bytes the
 * reader protocol sends — archive files and chunk blobs exactly as stored.
 */
import { AppError } from '@pbs/api-types/errors';
import type { DataBlob } from './data-blob.js';
import type { DatastoreCore } from './datastore-core.js';
import type { Digest } from './digest.js';
import { checkArchiveName } from './hierarchy/archive-name.js';
import { snapshotDir, type SnapshotRef } from './hierarchy/backup-ref.js';
import type { HeldLock } from './locking/backup-locks.js';
import { MANIFEST_BLOB_NAME } from './manifest.js';
import { readSnapshotFile } from './snapshot-files.js';

/** Archive names, plus the manifest: the files a reader may download. */
export function checkReadableFileName(name: string): string {
  if (name === MANIFEST_BLOB_NAME) return name;
  return checkArchiveName(name).name;
}

export interface SnapshotReader {
  readonly snapshot: SnapshotRef;
  /** raw bytes of a file of the snapshot (index.json.blob or an archive) */
  readFile(name: string): Promise<Buffer>;
  /** a chunk's stored DataBlob, CRC checked */
  loadChunk(digest: Digest): Promise<DataBlob>;
  /** releases the shared snapshot lock; further calls fail */
  close(): void;
}

export async function openSnapshotReader(
  core: DatastoreCore,
  ns: readonly string[],
  snap: SnapshotRef,
  lock: HeldLock,
): Promise<SnapshotReader> {
  const dir = snapshotDir(ns, snap);
  const stat = await core.backend.statFile(`${dir}/${MANIFEST_BLOB_NAME}`);
  if (stat?.kind !== 'file') {
    lock.release();
    throw new AppError(
      'NOT_FOUND',
      `datastore '${core.name}': snapshot '${dir}' does not exist or is unfinished`,
    );
  }
  let open = true;
  const assertOpen = () => {
    if (!open) throw new AppError('INVALID_ARGUMENT', `reader of '${dir}' is closed`);
  };
  return {
    snapshot: snap,
    readFile: async (name) => {
      assertOpen();
      return readSnapshotFile(core, ns, snap, checkReadableFileName(name));
    },
    loadChunk: async (digest) => {
      assertOpen();
      return core.chunkStore.loadChunk(digest);
    },
    close: () => {
      if (!open) return;
      open = false;
      lock.release();
    },
  };
}
