import { createHash } from 'node:crypto';
import { AppError } from '@pbs/api-types/errors';
import { DataBlob } from '../data-blob.js';
import type { DatastoreCore } from '../datastore-core.js';
import { checkUploadName, archiveKindOf } from '../hierarchy/archive-name.js';
import { snapshotDir, type SnapshotRef } from '../hierarchy/backup-ref.js';
import { decodeManifestBlob } from '../manifest-signature.js';
import type { BackupManifest, ManifestFile } from '../manifest.js';
import { decodeIndex } from '../snapshot-files.js';

/*
 * Checks of BackupWriter.finish: the uploaded manifest must describe this snapshot, and every
 * file it lists must be here with the recorded size and checksum. Index files may reference
 * only chunks this session uploaded or registered from its base snapshot — the rule that keeps
 * GC from having removed a chunk a new index points to (pbs-formats §16.7).
 */

function reject(reason: string, cause?: unknown): AppError {
  return new AppError('INVALID_ARGUMENT', `finish: ${reason}`, { cause });
}

/** The manifest of an encoded index.json.blob (CRC checked, unencrypted, for this snapshot). */
export function parseUploadedManifest(raw: Buffer, snap: SnapshotRef): BackupManifest {
  if (!Buffer.isBuffer(raw)) throw reject('manifest must be a Buffer');
  let manifest: BackupManifest;
  try {
    const blob = DataBlob.load(raw, 'uploaded manifest');
    if (blob.isEncrypted) throw new Error('the manifest must not be encrypted');
    manifest = decodeManifestBlob(blob);
  } catch (err) {
    throw reject(err instanceof Error ? err.message : String(err), err);
  }
  if (
    manifest.backupType !== snap.type ||
    manifest.backupId !== snap.id ||
    manifest.backupTime !== snap.time
  ) {
    throw reject(
      `manifest is for ${manifest.backupType}/${manifest.backupId}/${manifest.backupTime}, not for this snapshot (${snap.type}/${snap.id}/${snap.time})`,
    );
  }
  const names = new Set<string>();
  for (const file of manifest.files) {
    checkUploadName(file.filename, ['fixed', 'dynamic', 'blob']);
    if (names.has(file.filename)) throw reject(`manifest lists '${file.filename}' twice`);
    names.add(file.filename);
  }
  return manifest;
}

async function readListed(core: DatastoreCore, dir: string, file: ManifestFile): Promise<Buffer> {
  try {
    return await core.backend.readFile(`${dir}/${file.filename}`);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND')
      throw reject(`file '${file.filename}' listed in the manifest was not uploaded`, err);
    throw err;
  }
}

function checkBlobFile(raw: Buffer, file: ManifestFile): void {
  if (raw.length !== file.size)
    throw reject(`blob '${file.filename}': wrong size (${file.size} != ${raw.length})`);
  if (createHash('sha256').update(raw).digest('hex') !== file.csum)
    throw reject(`blob '${file.filename}': wrong checksum`);
}

function checkIndexFile(
  raw: Buffer,
  file: ManifestFile,
  path: string,
  isKnown: (digest: string) => boolean,
): void {
  const index = decodeIndex(raw, archiveKindOf(file.filename) === 'fixed', path);
  const { csum, size } = index.computeCsum();
  if (size !== file.size) throw reject(`index '${file.filename}': wrong size (${file.size} != ${size})`);
  if (csum.toString('hex') !== file.csum) throw reject(`index '${file.filename}': wrong checksum`);
  for (const digest of index.digests()) {
    if (!isKnown(digest)) {
      throw reject(
        `index '${file.filename}' references chunk ${digest}, which was neither uploaded nor registered from the previous snapshot`,
      );
    }
  }
}

/** Every listed file present and matching; CORRUPT_DATA of an index we wrote propagates. */
export async function checkSnapshotFiles(
  core: DatastoreCore,
  ns: readonly string[],
  snap: SnapshotRef,
  manifest: BackupManifest,
  isKnown: (digest: string) => boolean,
): Promise<void> {
  const dir = snapshotDir(ns, snap);
  for (const file of manifest.files) {
    const raw = await readListed(core, dir, file);
    if (archiveKindOf(file.filename) === 'blob') checkBlobFile(raw, file);
    else checkIndexFile(raw, file, `${dir}/${file.filename}`, isKnown);
  }
}
