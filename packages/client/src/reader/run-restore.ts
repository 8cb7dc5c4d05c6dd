import fs from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { AppError } from '@pbs/api-types/errors';
import {
  checkManifestFingerprint,
  chunkCryptModeOf,
  lookupManifestFile,
  MANIFEST_BLOB_NAME,
  ZERO_CHUNK_DIGEST,
  ZERO_CHUNK_SIZE,
  type BackupManifest,
  type CryptConfig,
  type SnapshotRef,
} from '@pbs/datastore';
import type { HttpClient } from '../http/http-client.js';
import { serverArchiveName } from '../repo/names.js';
import { CodecPool } from '../codec/codec-pool.js';
import { BackupReader } from './backup-reader.js';
import { restoreIndexToFile, restoreIndexToStream } from './restore-image.js';

/*
 * The `restore` command as a library call: open a reader session on the snapshot, check the
 * manifest against the key (signature and key fingerprint), then by archive type: the manifest
 * itself, a blob, an image (sparse file or stdout), or a pxar archive (extracted by the injected
 * extractor, or its raw bytes to stdout). Targets are created new, never overwritten.
 */

export interface DirectoryExtractContext {
  readonly reader: BackupReader;
  readonly manifest: BackupManifest;
  /** `root.pxar.didx`, or the metadata archive of a split pair */
  readonly archive: string;
  /** the payload archive of a split pair */
  readonly payloadArchive?: string;
  readonly target: string;
  readonly crypt?: CryptConfig;
  readonly onProgress?: (done: number, total: number) => void;
  readonly log: (line: string) => void;
  /** decodes chunks on worker threads, if the restore has them */
  readonly codec?: CodecPool;
}

export type DirectoryExtractor = (ctx: DirectoryExtractContext) => Promise<void>;

export interface RunRestoreOptions {
  readonly client: HttpClient;
  readonly store: string;
  readonly ns?: string;
  readonly snapshot: SnapshotRef;
  /** as typed: `root.pxar`, `disk.img`, `qemu-server.conf`, `index.json`, or a server file name */
  readonly archive: string;
  /** a path, or '-' for `stdout` */
  readonly target: string;
  readonly stdout?: Writable;
  readonly crypt?: CryptConfig;
  readonly extractDirectory?: DirectoryExtractor;
  readonly concurrency?: number;
  /** decode chunks on worker threads (the raw key is needed for encrypted archives) */
  readonly workers?: { readonly count: number; readonly key?: Uint8Array };
  readonly log: (line: string) => void;
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

export interface RestoreResult {
  readonly archive: string;
  readonly bytes: number;
  readonly durationMs: number;
}

/** get_pxar_archive_names: `x.pxar.didx`, or `x.mpxar.didx` + `x.ppxar.didx` when split. */
export function pxarArchiveNames(
  manifest: BackupManifest,
  archive: string,
): { archive: string; payload?: string } {
  const has = (name: string) => manifest.files.some((f) => f.filename === name);
  const base = archive.replace(/\.(m|p)?pxar\.didx$/, '');
  if (has(archive) && !archive.endsWith('.ppxar.didx')) {
    return archive.endsWith('.mpxar.didx') ? { archive, payload: `${base}.ppxar.didx` } : { archive };
  }
  if (has(`${base}.mpxar.didx`) && has(`${base}.ppxar.didx`)) {
    return { archive: `${base}.mpxar.didx`, payload: `${base}.ppxar.didx` };
  }
  throw new AppError('NOT_FOUND', `manifest does not contain file '${archive}'`);
}

async function writeNewFile(target: string, data: Buffer): Promise<void> {
  try {
    await fs.writeFile(target, data, { flag: 'wx' });
  } catch (err) {
    throw new AppError(
      'ALREADY_EXISTS',
      `unable to create target file '${target}' - ${(err as Error).message}`,
    );
  }
}

function writeOut(out: Writable, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => out.write(data, (err) => (err ? reject(err) : resolve())));
}

export async function runRestore(opts: RunRestoreOptions): Promise<RestoreResult> {
  const started = performance.now();
  const archive = serverArchiveName(opts.archive);
  const toStdout = opts.target === '-';
  if (toStdout && !opts.stdout) throw new AppError('INVALID_ARGUMENT', 'no output stream for target -');
  const reader = await BackupReader.start(opts.client, {
    store: opts.store,
    ...(opts.ns !== undefined && { ns: opts.ns }),
    snapshot: opts.snapshot,
  });
  const codec =
    opts.workers && opts.workers.count > 0 && (!opts.crypt || opts.workers.key)
      ? new CodecPool({ size: opts.workers.count, ...(opts.workers.key && { key: opts.workers.key }) })
      : undefined;
  const chunkOpts = { ...commonChunkOptions(opts), ...(codec && { codec }) };
  const onAbort = () => reader.destroy();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const { manifest, json } = await reader.downloadManifest(opts.crypt);
    checkManifestFingerprint(manifest, opts.crypt);
    let bytes = 0;
    if (archive === MANIFEST_BLOB_NAME) {
      if (toStdout) await writeOut(opts.stdout as Writable, json);
      else await writeNewFile(opts.target, json);
      bytes = json.length;
    } else if (archive.endsWith('.blob')) {
      const data = await reader.downloadBlob(manifest, archive, opts.crypt);
      if (toStdout) await writeOut(opts.stdout as Writable, data);
      else await writeNewFile(opts.target, data);
      bytes = data.length;
    } else if (archive.endsWith('.fidx')) {
      bytes = await restoreImage(reader, manifest, archive, opts, chunkOpts);
    } else {
      const names = pxarArchiveNames(manifest, archive);
      if (toStdout) {
        if (names.payload) throw new AppError('INVALID_ARGUMENT', 'unable to pipe split archive');
        const index = await reader.downloadIndex(manifest, names.archive);
        const file = lookupManifestFile(manifest, names.archive);
        bytes = (
          await restoreIndexToStream(reader, index, opts.stdout as Writable, {
            cryptMode: file.cryptMode,
            ...chunkOpts,
          })
        ).bytes;
      } else {
        if (!opts.extractDirectory) {
          throw new AppError('NOT_IMPLEMENTED', 'pxar extraction is not available in this build');
        }
        await opts.extractDirectory({
          reader,
          manifest,
          archive: names.archive,
          ...(names.payload !== undefined && { payloadArchive: names.payload }),
          target: opts.target,
          ...(opts.crypt && { crypt: opts.crypt }),
          ...(opts.onProgress && { onProgress: opts.onProgress }),
          log: opts.log,
          ...(codec && { codec }),
        });
        bytes = manifest.files
          .filter((f) => f.filename === names.archive || f.filename === names.payload)
          .reduce((sum, f) => sum + f.size, 0);
      }
    }
    await reader.close();
    return { archive, bytes, durationMs: performance.now() - started };
  } catch (err) {
    reader.destroy();
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await codec?.close();
  }
}

function commonChunkOptions(opts: RunRestoreOptions) {
  return {
    ...(opts.crypt && { crypt: opts.crypt }),
    ...(opts.concurrency !== undefined && { concurrency: opts.concurrency }),
    ...(opts.onProgress && { onProgress: opts.onProgress }),
    ...(opts.signal && { signal: opts.signal }),
  };
}

async function restoreImage(
  reader: BackupReader,
  manifest: BackupManifest,
  archive: string,
  opts: RunRestoreOptions,
  common: ReturnType<typeof commonChunkOptions> & { codec?: CodecPool },
): Promise<number> {
  const file = lookupManifestFile(manifest, archive);
  const index = await reader.downloadIndex(manifest, archive);
  const zeroDigests = new Set<string>();
  if (chunkCryptModeOf(file) === 'none') zeroDigests.add(ZERO_CHUNK_DIGEST);
  else if (opts.crypt) zeroDigests.add(opts.crypt.computeDigest(Buffer.alloc(ZERO_CHUNK_SIZE)));
  const chunkOpts = { cryptMode: file.cryptMode, zeroDigests, ...common };
  if (opts.target === '-') {
    return (await restoreIndexToStream(reader, index, opts.stdout as Writable, chunkOpts)).bytes;
  }
  const { bytes, holes } = await restoreIndexToFile(reader, index, opts.target, chunkOpts);
  if (holes > 0) opts.log(`restored ${bytes} bytes, ${holes} bytes of them as holes (sparse)`);
  return bytes;
}
