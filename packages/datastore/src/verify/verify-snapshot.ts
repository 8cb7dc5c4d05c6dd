import { createHash } from 'node:crypto';
import { AppError } from '@pbs/api-types/errors';
import { archiveKindOf } from '../hierarchy/archive-name.js';
import { formatSnapshot, snapshotDir, type SnapshotRef } from '../hierarchy/backup-ref.js';
import { isDir } from '../hierarchy/listing.js';
import type { HeldLock } from '../locking/backup-locks.js';
import { chunkCryptModeOf, type BackupManifest, type ManifestFile } from '../manifest.js';
import { decodeIndex, loadManifest, readSnapshotBlob, updateManifest } from '../snapshot-files.js';
import { verifyIndexChunks } from './verify-chunks.js';
import { shouldVerify } from './verify-filter.js';
import type { VerifyRunState } from './verify-run-state.js';

/*
 * One snapshot (verify_backup_dir[_with_lock]): under a shared snapshot lock (skipped if a
 * writer or a removal holds it), load the manifest (failure = failed, manifest untouched), apply
 * the ignore-verified filter, check every listed file — blobs by raw size, SHA-256 and a full
 * decode, indexes by csum and size and then their chunks — and record
 * `unprotected.verify_state = {upid, state}` in the manifest.
 */

export type SnapshotOutcome = 'ok' | 'failed' | 'skipped';

export interface VerifyFilterOptions {
  ignoreVerified?: boolean;
  outdatedAfter?: number;
}

async function verifyBlob(
  run: VerifyRunState,
  ns: readonly string[],
  snap: SnapshotRef,
  file: ManifestFile,
): Promise<void> {
  const blob = await readSnapshotBlob(run.core, ns, snap, file.filename);
  if (blob.raw.length !== file.size)
    throw new AppError('CORRUPT_DATA', `wrong size (${file.size} != ${blob.raw.length})`);
  if (createHash('sha256').update(blob.raw).digest('hex') !== file.csum)
    throw new AppError('CORRUPT_DATA', 'wrong index checksum');
  if (!blob.isEncrypted) blob.decode();
  run.bytesRead += blob.raw.length;
}

async function verifyIndex(
  run: VerifyRunState,
  ns: readonly string[],
  snap: SnapshotRef,
  file: ManifestFile,
): Promise<void> {
  const path = `${snapshotDir(ns, snap)}/${file.filename}`;
  const index = decodeIndex(
    await run.core.backend.readFile(path),
    archiveKindOf(file.filename) === 'fixed',
    path,
  );
  const { csum, size } = index.computeCsum();
  if (size !== file.size) throw new AppError('CORRUPT_DATA', `wrong size (${file.size} != ${size})`);
  if (csum.toString('hex') !== file.csum) throw new AppError('CORRUPT_DATA', 'wrong index checksum');
  await verifyIndexChunks(run, index, chunkCryptModeOf(file));
}

async function verifyFiles(
  run: VerifyRunState,
  ns: readonly string[],
  snap: SnapshotRef,
  manifest: BackupManifest,
  name: string,
): Promise<number> {
  let errors = 0;
  for (const file of manifest.files) {
    run.ctx.log(`  check ${file.filename}`);
    try {
      const kind = archiveKindOf(file.filename);
      if (kind === undefined) throw new AppError('CORRUPT_DATA', 'unknown archive type');
      if (kind === 'blob') await verifyBlob(run, ns, snap, file);
      else await verifyIndex(run, ns, snap, file);
    } catch (err) {
      run.ctx.signal.throwIfAborted();
      run.ctx.log(
        `verify ${name}/${file.filename} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      errors++;
    }
    run.ctx.signal.throwIfAborted();
  }
  return errors;
}

async function verifyLocked(
  run: VerifyRunState,
  ns: readonly string[],
  snap: SnapshotRef,
  filter: VerifyFilterOptions,
  name: string,
): Promise<SnapshotOutcome> {
  let manifest: BackupManifest;
  try {
    manifest = (await loadManifest(run.core, ns, snap)).manifest;
  } catch (err) {
    run.ctx.log(`verify ${name} - manifest load error: ${err instanceof Error ? err.message : String(err)}`);
    return 'failed';
  }
  if (!shouldVerify(manifest, filter, run.core.nowSec())) {
    run.ctx.log(`SKIPPED: verify ${name} (recently verified)`);
    return 'skipped';
  }
  run.ctx.log(`verify ${name}`);
  const errors = await verifyFiles(run, ns, snap, manifest, name);
  const state = errors === 0 ? 'ok' : 'failed';
  try {
    await updateManifest(run.core, ns, snap, (unprotected) => {
      unprotected.verify_state = { state, upid: run.ctx.upid };
    });
  } catch (err) {
    run.ctx.log(
      `verify ${name} - manifest update error: ${err instanceof Error ? err.message : String(err)}`,
    );
    return 'failed';
  }
  return state;
}

export async function verifySnapshot(
  run: VerifyRunState,
  ns: readonly string[],
  snap: SnapshotRef,
  filter: VerifyFilterOptions,
): Promise<SnapshotOutcome> {
  const name = `${run.core.name}:${formatSnapshot(snap)}`;
  if (!(await isDir(run.core, snapshotDir(ns, snap)))) {
    run.ctx.log(`SKIPPED: verify ${name} - snapshot does not exist (anymore).`);
    return 'skipped';
  }
  let lock: HeldLock;
  try {
    lock = await run.core.locks.lockSnapshot(ns, snap, { shared: true });
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'BUSY') throw err;
    run.ctx.log(`SKIPPED: verify ${name} - could not acquire snapshot lock: ${err.message}`);
    return 'skipped';
  }
  try {
    return await verifyLocked(run, ns, snap, filter, name);
  } finally {
    lock.release();
  }
}
