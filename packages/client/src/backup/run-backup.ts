import fs from 'node:fs/promises';
import { AppError } from '@pbs/api-types/errors';
import {
  encodeManifestBlob,
  formatHumanByte,
  formatSnapshot,
  MANIFEST_BLOB_NAME,
  signManifest,
  type BackupManifest,
  type CryptConfig,
  type CryptMode,
  type ManifestFile,
  type SnapshotRef,
} from '@pbs/datastore';
import { fileFixedChunks, streamFixedChunks } from '../chunker/fixed-chunks.js';
import type { HttpClient } from '../http/http-client.js';
import { BackupReader } from '../reader/backup-reader.js';
import type { BackupSpec } from '../repo/names.js';
import { checkSources, type CheckedSource } from './backup-sources.js';
import { BackupWriter } from './backup-writer.js';
import type { UploadCounters, UploadStats } from './upload-stats.js';
import type { EncoderWorkers } from './chunk-encoder.js';

/*
 * The `backup` command as a library call (create_backup): check the sources, open the session,
 * fetch the previous manifest (if its key matches), upload each source in order (blobs, images,
 * directories through the injected pxar archiver), then the manifest — signed when a key is in
 * use — and `finish`. Log lines follow PBS's wording.
 */

export type ChangeDetectionMode = 'legacy' | 'data' | 'metadata';

export interface ArchiveProgress {
  readonly archive: string;
  /** bytes of the archive processed so far */
  readonly processed: number;
  /** bytes whose upload finished or that were known */
  readonly sent: number;
  /** total bytes if known (images) */
  readonly total?: number;
}

/** Directory sources (pxar): one call per source, then `finish` once (the catalog). */
export interface DirectoryArchiver {
  /** Backs up one directory source; returns the manifest entries it produced (in order). */
  archive(ctx: DirectoryArchiveContext): Promise<ArchiveResult>;
  /** After the last source, before the manifest. */
  finish?(ctx: Omit<DirectoryArchiveContext, 'source'>): Promise<ArchiveResult>;
}

export interface DirectoryArchiveContext {
  readonly source: CheckedSource;
  readonly writer: BackupWriter;
  readonly cryptMode: CryptMode;
  readonly previous: BackupManifest | undefined;
  /** a reader session on the previous snapshot (metadata change detection reads its archive) */
  readonly openPreviousReader?: () => Promise<BackupReader>;
  /** the session's key, to read the previous snapshot's encrypted chunks */
  readonly crypt?: CryptConfig;
  readonly onProgress: (p: ArchiveProgress) => void;
  readonly log: (line: string) => void;
}

export interface ArchiveResult {
  readonly files: ManifestFile[];
  readonly stats: UploadStats[];
}

export interface RunBackupOptions {
  readonly client: HttpClient;
  readonly store: string;
  readonly ns?: string;
  readonly snapshot: SnapshotRef;
  readonly specs: readonly BackupSpec[];
  readonly cryptMode: CryptMode;
  /** required for `encrypt` and `sign-only` */
  readonly crypt?: CryptConfig;
  readonly archiveDirectory?: DirectoryArchiver;
  readonly dryRun?: boolean;
  /** bypass the server's datastore cache (S3 stores) */
  readonly noCache?: boolean;
  /** encode chunk blobs on worker threads (raw key needed when encrypting) */
  readonly workers?: EncoderWorkers;
  readonly concurrency?: number;
  readonly log: (line: string) => void;
  readonly onProgress?: (p: ArchiveProgress) => void;
  readonly signal?: AbortSignal;
  /** the repository as printed in log lines */
  readonly repoLabel: string;
}

export interface BackupResult {
  readonly snapshot: string;
  readonly files: ManifestFile[];
  readonly archives: UploadStats[];
  readonly durationMs: number;
}

const localTime = (epoch: number) => new Date(epoch * 1000).toString();

export function describeUpload(s: UploadStats): string[] {
  const name = s.archive.replace(/\.(didx|fidx)$/, '');
  const dirty = s.size - s.reusedBytes;
  const secs = s.durationMs / 1000;
  const lines = [
    `${name}: had to backup ${formatHumanByte(dirty)} of ${formatHumanByte(s.size)} (compressed ${formatHumanByte(s.compressedBytes)}) in ${secs.toFixed(2)} s (average ${formatHumanByte(secs > 0 ? dirty / secs : 0)}/s)`,
  ];
  if (s.reusedBytes > 0 && s.size > 1024 * 1024) {
    lines.push(
      `${name}: backup was done incrementally, reused ${formatHumanByte(s.reusedBytes)} (${((s.reusedBytes * 100) / s.size).toFixed(1)}%)`,
    );
  }
  return lines;
}

async function readBlobSource(source: string): Promise<Buffer> {
  try {
    return await fs.readFile(source);
  } catch (err) {
    throw new AppError('INVALID_ARGUMENT', `unable to read file '${source}' - ${(err as Error).message}`);
  }
}

async function previousManifest(
  writer: BackupWriter,
  log: (l: string) => void,
): Promise<BackupManifest | undefined> {
  const time = await writer.previousBackupTime();
  if (time === null) {
    log('No previous manifest available.');
    return undefined;
  }
  log(`Downloading previous manifest (${localTime(time)})`);
  try {
    const manifest = await writer.previousManifest();
    if (writer.canReuse(manifest)) return manifest;
    log("Couldn't re-use previous manifest - key fingerprint does not match");
  } catch (err) {
    log(`Couldn't download previous manifest - ${(err as Error).message}`);
  }
  return undefined;
}

async function uploadImage(
  source: CheckedSource,
  writer: BackupWriter,
  opts: RunBackupOptions,
  previous: BackupManifest | undefined,
): Promise<UploadStats> {
  const { spec } = source;
  const file = await fs.open(spec.source, 'r');
  try {
    const chunks =
      source.fileType === 'fifo'
        ? streamFixedChunks(file.createReadStream({ autoClose: false, highWaterMark: 1024 * 1024 }))
        : fileFixedChunks(file, source.size ?? Number.MAX_SAFE_INTEGER);
    return await writer.uploadIndex(spec.fileName, chunks, {
      kind: 'fixed',
      ownedChunks: true,
      ...(source.size !== undefined && { size: source.size }),
      encrypt: opts.cryptMode === 'encrypt',
      ...(previous && { previous }),
      ...(opts.concurrency !== undefined && { concurrency: opts.concurrency }),
      ...(opts.signal && { signal: opts.signal }),
      warn: opts.log,
      onProgress: (c: Readonly<UploadCounters>) =>
        opts.onProgress?.({
          archive: spec.fileName,
          processed: c.size,
          sent: c.sentBytes,
          ...(source.size !== undefined && { total: source.size }),
        }),
    });
  } finally {
    await file.close();
  }
}

export async function runBackup(opts: RunBackupOptions): Promise<BackupResult> {
  const started = performance.now();
  const sources = await checkSources(opts.specs);
  if (opts.cryptMode !== 'none' && !opts.crypt) {
    throw new AppError('INVALID_ARGUMENT', `crypt mode '${opts.cryptMode}' needs a key`);
  }
  if (sources.some((s) => s.spec.kind === 'pxar') && !opts.archiveDirectory) {
    throw new AppError('NOT_IMPLEMENTED', 'directory (.pxar) backups are not available in this build');
  }
  const what = { img: 'image', pxar: 'directory', conf: 'config file', log: 'log file' } as const;
  if (opts.dryRun) {
    for (const { spec } of sources) {
      opts.log(`Would upload ${what[spec.kind]} '${spec.source}' to '${opts.repoLabel}' as ${spec.fileName}`);
    }
    opts.log('dry-run: no upload happened');
    return { snapshot: formatSnapshot(opts.snapshot), files: [], archives: [], durationMs: 0 };
  }
  const writer = await BackupWriter.start(opts.client, {
    store: opts.store,
    ...(opts.ns !== undefined && { ns: opts.ns }),
    snapshot: opts.snapshot,
    ...(opts.crypt && { crypt: opts.crypt }),
    ...(opts.noCache === true && { noCache: true }),
    ...(opts.workers && { workers: opts.workers }),
  });
  const onAbort = () => writer.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const previous = await previousManifest(writer, opts.log);
    const files: ManifestFile[] = [];
    const archives: UploadStats[] = [];
    const encrypt = opts.cryptMode === 'encrypt';
    for (const source of sources) {
      const { spec } = source;
      opts.log(`Upload ${what[spec.kind]} '${spec.source}' to '${opts.repoLabel}' as ${spec.fileName}`);
      if (spec.kind === 'conf' || spec.kind === 'log') {
        const stats = await writer.uploadBlob(spec.fileName, await readBlobSource(spec.source), encrypt);
        files.push({ filename: spec.fileName, cryptMode: opts.cryptMode, ...stats });
      } else if (spec.kind === 'img') {
        const stats = await uploadImage(source, writer, opts, previous);
        describeUpload(stats).forEach((l) => opts.log(l));
        archives.push(stats);
        files.push({
          filename: spec.fileName,
          cryptMode: opts.cryptMode,
          size: stats.size,
          csum: stats.csum,
        });
      } else {
        const result = await (opts.archiveDirectory as DirectoryArchiver).archive({
          source,
          writer,
          cryptMode: opts.cryptMode,
          previous,
          ...(opts.crypt && { crypt: opts.crypt }),
          ...(previous && {
            openPreviousReader: () =>
              BackupReader.start(opts.client, {
                store: opts.store,
                ...(opts.ns !== undefined && { ns: opts.ns }),
                snapshot: { type: previous.backupType, id: previous.backupId, time: previous.backupTime },
              }),
          }),
          onProgress: (p) => opts.onProgress?.(p),
          log: opts.log,
        });
        result.stats.forEach((s) => describeUpload(s).forEach((l) => opts.log(l)));
        archives.push(...result.stats);
        files.push(...result.files);
      }
    }
    const closing = await opts.archiveDirectory?.finish?.({
      writer,
      cryptMode: opts.cryptMode,
      previous,
      onProgress: (p) => opts.onProgress?.(p),
      log: opts.log,
    });
    if (closing) {
      archives.push(...closing.stats);
      files.push(...closing.files);
    }
    let manifest: BackupManifest = {
      backupType: opts.snapshot.type,
      backupId: opts.snapshot.id,
      backupTime: opts.snapshot.time,
      files,
      unprotected: {},
      signature: null,
    };
    if (opts.crypt) manifest = signManifest(manifest, opts.crypt);
    await writer.uploadRawBlob(MANIFEST_BLOB_NAME, encodeManifestBlob(manifest).raw);
    await writer.finish();
    const durationMs = performance.now() - started;
    opts.log(`Duration: ${(durationMs / 1000).toFixed(2)}s`);
    opts.log(`End Time: ${new Date().toString()}`);
    return { snapshot: formatSnapshot(opts.snapshot), files, archives, durationMs };
  } catch (err) {
    writer.abort();
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
