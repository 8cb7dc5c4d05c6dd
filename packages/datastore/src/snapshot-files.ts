import { AppError } from '@pbs/api-types/errors';
import type { DatastoreCore } from './datastore-core.js';
import { DataBlob } from './data-blob.js';
import { DynamicIndexReader } from './dynamic-index.js';
import { FixedIndexReader } from './fixed-index.js';
import { checkArchiveName } from './hierarchy/archive-name.js';
import { snapshotDir, type SnapshotRef } from './hierarchy/backup-ref.js';
import type { IndexFile } from './index-file.js';
import type { JsonValue } from './json-format.js';
import { decodeManifestBlob, encodeManifestBlob } from './manifest-signature.js';
import { MANIFEST_BLOB_NAME, type BackupManifest } from './manifest.js';

/*
 * Reading the files of a snapshot and updating its manifest (backup_info.rs load_manifest,
 * update_manifest). The manifest is only ever rewritten under the manifest lock, as a whole
 * file (atomic replace), and only its `unprotected` part changes: the signature stays valid.
 */

export async function readSnapshotFile(
  core: DatastoreCore,
  ns: readonly string[],
  snap: SnapshotRef,
  name: string,
): Promise<Buffer> {
  const path = `${snapshotDir(ns, snap)}/${name}`;
  try {
    return await core.backend.readFile(path);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') {
      const what =
        name === MANIFEST_BLOB_NAME
          ? 'has no manifest (unfinished or missing snapshot)'
          : `has no file '${name}'`;
      throw new AppError(
        'NOT_FOUND',
        `datastore '${core.name}': snapshot '${snapshotDir(ns, snap)}' ${what}`,
        {
          cause: err,
          details: { snapshot: snap, file: name },
        },
      );
    }
    throw err;
  }
}

/** The manifest of a finished snapshot, with the raw bytes of index.json.blob (CRC checked). */
export async function loadManifest(
  core: DatastoreCore,
  ns: readonly string[],
  snap: SnapshotRef,
): Promise<{ manifest: BackupManifest; raw: Buffer }> {
  const raw = await readSnapshotFile(core, ns, snap, MANIFEST_BLOB_NAME);
  const blob = DataBlob.load(raw, `blob '${snapshotDir(ns, snap)}/${MANIFEST_BLOB_NAME}'`);
  return { manifest: decodeManifestBlob(blob), raw };
}

function toJson(value: Record<string, unknown>, what: string): { [key: string]: JsonValue } {
  try {
    return JSON.parse(JSON.stringify(value)) as { [key: string]: JsonValue };
  } catch (err) {
    throw new AppError('INVALID_ARGUMENT', `${what}: unprotected manifest data is not JSON`, { cause: err });
  }
}

/**
 * update_manifest: under the manifest lock, load, let `update` change a copy of `unprotected`,
 * and atomically replace index.json.blob with the re-encoded manifest.
 */
export async function updateManifest(
  core: DatastoreCore,
  ns: readonly string[],
  snap: SnapshotRef,
  update: (unprotected: Record<string, unknown>) => void,
): Promise<BackupManifest> {
  const lock = await core.locks.lockManifest(ns, snap);
  try {
    const { manifest } = await loadManifest(core, ns, snap);
    const unprotected = structuredClone(manifest.unprotected) as Record<string, unknown>;
    update(unprotected);
    const updated: BackupManifest = { ...manifest, unprotected: toJson(unprotected, snapshotDir(ns, snap)) };
    const blob = encodeManifestBlob(updated);
    await core.backend.writeFile(`${snapshotDir(ns, snap)}/${MANIFEST_BLOB_NAME}`, blob.raw);
    return updated;
  } finally {
    lock.release();
  }
}

/** A `.blob` archive of a snapshot, CRC verified. */
export async function readSnapshotBlob(
  core: DatastoreCore,
  ns: readonly string[],
  snap: SnapshotRef,
  archiveName: string,
): Promise<DataBlob> {
  const { name } = checkArchiveName(archiveName, ['blob']);
  const raw = await readSnapshotFile(core, ns, snap, name);
  return DataBlob.load(raw, `blob '${snapshotDir(ns, snap)}/${name}'`);
}

/** A `.fidx` / `.didx` archive of a snapshot, decoded. */
export async function openSnapshotIndex(
  core: DatastoreCore,
  ns: readonly string[],
  snap: SnapshotRef,
  archiveName: string,
): Promise<IndexFile> {
  const { name, kind } = checkArchiveName(archiveName, ['fixed', 'dynamic']);
  const raw = await readSnapshotFile(core, ns, snap, name);
  return decodeIndex(raw, kind === 'fixed', `${snapshotDir(ns, snap)}/${name}`);
}

export function decodeIndex(raw: Buffer, fixed: boolean, path: string): IndexFile {
  return fixed
    ? FixedIndexReader.decode(raw, `fixed index '${path}'`)
    : DynamicIndexReader.decode(raw, `dynamic index '${path}'`);
}
