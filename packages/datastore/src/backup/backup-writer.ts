import { AppError } from '@pbs/api-types/errors';
import type { DataBlob } from '../data-blob.js';
import type { DatastoreCore } from '../datastore-core.js';
import type { Digest } from '../digest.js';
import { DynamicIndexWriter } from '../dynamic-index-writer.js';
import { FixedIndexWriter } from '../fixed-index-writer.js';
import { readOwner } from '../group-meta.js';
import { archiveKindOf, checkUploadName } from '../hierarchy/archive-name.js';
import { snapshotDir, type SnapshotRef } from '../hierarchy/backup-ref.js';
import { formatNamespace, type NamespacePath } from '../hierarchy/namespace.js';
import type { IndexFile } from '../index-file.js';
import { encodeManifestBlob } from '../manifest-signature.js';
import { MANIFEST_BLOB_NAME } from '../manifest.js';
import { readSnapshotInfo, type SnapshotInfo } from '../snapshot-info.js';
import { decodeIndex, openSnapshotIndex, readSnapshotFile } from '../snapshot-files.js';
import { checkReadableFileName } from '../snapshot-reader.js';
import { checkSnapshotFiles, parseUploadedManifest } from './finish-check.js';
import type { WriterLocks } from './writer-locks.js';
import { checkUploadedBlob, checkUploadedChunk } from './upload-checks.js';

/*
 * One running backup (api2/backup/environment.rs): it owns the group lock, the exclusive lock
 * of its new snapshot directory, a shared lock on its base snapshot and a shared chunk store
 * guard whose start time protects its chunks from GC. Files appear under their final names as
 * they are completed; the manifest is written last, so a snapshot is finished exactly when
 * index.json.blob exists. A failed finish leaves the writer open: call abort().
 */

export interface BackupWriter {
  readonly snapshot: SnapshotRef;
  readonly ns: NamespacePath;
  /** the base snapshot: the last finished one whose verification did not fail */
  readonly previous: SnapshotRef | undefined;
  /** epoch seconds the writer started (its "oldest writer" time for GC) */
  readonly startTime: number;
  /** Stores an uploaded chunk after the server-side checks; the blob's CRC is rewritten in place. */
  insertChunk(
    digest: Digest,
    blob: DataBlob | Buffer,
    opts?: { size?: number },
  ): Promise<{ duplicate: boolean }>;
  /** GET /previous: an index of the base snapshot, whose chunks this backup may then reference. */
  openPreviousIndex(archiveName: string): Promise<IndexFile>;
  /**
   * GET /previous: the raw bytes of a file of the base snapshot; for an index, its chunks become
   * usable by this backup, as after openPreviousIndex.
   */
  readPreviousFile(fileName: string): Promise<Buffer>;
  isKnownChunk(digest: string): boolean;
  /** the plaintext size of a chunk this backup may reference, or undefined */
  knownChunkSize(digest: string): number | undefined;
  /** `size` undefined: an image of unknown size (a stream), grown as chunks arrive */
  createFixedIndex(name: string, size?: number): Promise<FixedIndexWriter>;
  createDynamicIndex(name: string): Promise<DynamicIndexWriter>;
  /** An uploaded blob archive: CRC verified, stored unchanged. */
  writeBlob(name: string, blob: DataBlob | Buffer): Promise<void>;
  /**
   * Sync: a chunk already in the chunk store becomes referenceable without an upload. It is
   * touched under its digest lock first, so a running GC keeps it; false when it is not there.
   */
  useExistingChunk(digest: Digest, size: number): Promise<boolean>;
  /**
   * Sync: an index copied byte for byte from another datastore. Every chunk it references must
   * be known to this writer (inserted or `useExistingChunk`); the index is decoded first.
   */
  writeIndex(name: string, raw: Buffer): Promise<IndexFile>;
  /**
   * Validates the files against the manifest (an encoded index.json.blob) and writes it.
   * `keepManifest`: store the bytes as given (sync keeps the source's manifest, PBS pull), without
   * adding this session's chunk_upload_stats.
   */
  finish(manifest: Buffer, opts?: { keepManifest?: boolean }): Promise<SnapshotInfo>;
  /** Removes the unfinished snapshot and releases the locks; nothing after finish. */
  abort(): Promise<void>;
}

interface UploadStats {
  count: number;
  size: number;
  compressed_size: number;
  duplicates: number;
}

type State = 'active' | 'finishing' | 'finished' | 'aborted';

export class BackupWriterImpl implements BackupWriter {
  readonly ns: NamespacePath;
  private state: State = 'active';
  private readonly known = new Map<string, number>();
  private readonly indexWriters = new Map<string, FixedIndexWriter | DynamicIndexWriter>();
  private readonly stats: UploadStats = { count: 0, size: 0, compressed_size: 0, duplicates: 0 };
  private readonly dir: string;

  constructor(
    private readonly core: DatastoreCore,
    private readonly nsComponents: readonly string[],
    readonly snapshot: SnapshotRef,
    readonly previous: SnapshotRef | undefined,
    private readonly locks: WriterLocks,
    private readonly opts: { noCache: boolean } = { noCache: false },
  ) {
    this.ns = formatNamespace(nsComponents);
    this.dir = snapshotDir(nsComponents, snapshot);
  }

  get startTime(): number {
    return this.locks.startTime;
  }

  private assertActive(): void {
    if (this.state !== 'active')
      throw new AppError('INVALID_ARGUMENT', `backup of '${this.dir}' is ${this.state}`);
  }

  async insertChunk(
    digest: Digest,
    data: DataBlob | Buffer,
    opts: { size?: number } = {},
  ): Promise<{ duplicate: boolean }> {
    this.assertActive();
    const chunk = checkUploadedChunk(digest, data, opts.size);
    const { duplicate } = await this.core.chunkStore.insertChunk(chunk.digest, chunk.blob, {
      noCache: this.opts.noCache,
    });
    this.known.set(chunk.digest, chunk.size ?? 0);
    this.stats.count++;
    this.stats.size += chunk.size ?? 0;
    this.stats.compressed_size += chunk.blob.raw.length;
    if (duplicate) this.stats.duplicates++;
    return { duplicate };
  }

  async openPreviousIndex(archiveName: string): Promise<IndexFile> {
    this.assertActive();
    if (!this.previous) throw new AppError('NOT_FOUND', `backup of '${this.dir}' has no previous snapshot`);
    const index = await openSnapshotIndex(this.core, this.nsComponents, this.previous, archiveName);
    this.registerKnown(index);
    return index;
  }

  async readPreviousFile(fileName: string): Promise<Buffer> {
    this.assertActive();
    if (!this.previous) throw new AppError('NOT_FOUND', `backup of '${this.dir}' has no previous snapshot`);
    const name = checkReadableFileName(fileName);
    const raw = await readSnapshotFile(this.core, this.nsComponents, this.previous, name);
    const kind = archiveKindOf(name);
    if (kind === 'fixed' || kind === 'dynamic') {
      const index = decodeIndex(
        raw,
        kind === 'fixed',
        `${snapshotDir(this.nsComponents, this.previous)}/${name}`,
      );
      this.registerKnown(index);
    }
    return raw;
  }

  private registerKnown(index: IndexFile): void {
    for (let pos = 0; pos < index.count; pos++) {
      const info = index.chunkInfo(pos);
      if (info) this.known.set(info.digest, info.end - info.start);
    }
  }

  isKnownChunk(digest: string): boolean {
    return this.known.has(digest);
  }

  knownChunkSize(digest: string): number | undefined {
    return this.known.get(digest);
  }

  private reserve(name: string): string {
    if (this.indexWriters.has(name))
      throw new AppError('ALREADY_EXISTS', `index writer '${name}' already exists`);
    return `${this.dir}/${name}`;
  }

  async createFixedIndex(name: string, size?: number): Promise<FixedIndexWriter> {
    this.assertActive();
    const path = this.reserve(checkUploadName(name, ['fixed']));
    const writer = await FixedIndexWriter.create(this.core.backend, path, {
      size,
      ctime: this.core.nowSec(),
    });
    this.indexWriters.set(name, writer);
    return writer;
  }

  async createDynamicIndex(name: string): Promise<DynamicIndexWriter> {
    this.assertActive();
    const path = this.reserve(checkUploadName(name, ['dynamic']));
    const writer = await DynamicIndexWriter.create(this.core.backend, path, { ctime: this.core.nowSec() });
    this.indexWriters.set(name, writer);
    return writer;
  }

  async useExistingChunk(digest: Digest, size: number): Promise<boolean> {
    this.assertActive();
    if (!(await this.core.chunkStore.touchChunk(digest))) return false;
    this.known.set(digest, size);
    return true;
  }

  async writeIndex(name: string, raw: Buffer): Promise<IndexFile> {
    this.assertActive();
    const file = checkUploadName(name, ['fixed', 'dynamic']);
    const path = this.reserve(file);
    const index = decodeIndex(raw, archiveKindOf(file) === 'fixed', path);
    for (let pos = 0; pos < index.count; pos++) {
      const digest = index.digestAt(pos);
      if (digest !== undefined && !this.known.has(digest))
        throw new AppError('INVALID_ARGUMENT', `${file}: chunk ${digest} is not in this backup`);
    }
    await this.core.backend.writeFile(path, raw);
    return index;
  }

  async writeBlob(name: string, data: DataBlob | Buffer): Promise<void> {
    this.assertActive();
    const file = checkUploadName(name, ['blob']);
    const blob = checkUploadedBlob(file, data);
    await this.core.backend.writeFile(`${this.dir}/${file}`, blob.raw);
  }

  private async checkIndexWritersClosed(): Promise<void> {
    for (const name of this.indexWriters.keys()) {
      if ((await this.core.backend.statFile(`${this.dir}/${name}`))?.kind !== 'file') {
        throw new AppError(
          'INVALID_ARGUMENT',
          `finish: found open index writer '${name}' - unable to finish backup`,
        );
      }
    }
  }

  private async checkBaseExists(): Promise<void> {
    if (!this.previous) return;
    const base = await this.core.backend.statFile(snapshotDir(this.nsComponents, this.previous));
    if (base?.kind !== 'dir') {
      throw new AppError(
        'NOT_FOUND',
        'finish: base snapshot was removed during backup, cannot finish as chunks might be missing',
      );
    }
  }

  async finish(raw: Buffer, opts: { keepManifest?: boolean } = {}): Promise<SnapshotInfo> {
    this.assertActive();
    const manifest = parseUploadedManifest(raw, this.snapshot);
    await this.checkIndexWritersClosed();
    await checkSnapshotFiles(this.core, this.nsComponents, this.snapshot, manifest, (d) => this.known.has(d));
    await this.checkBaseExists();
    this.state = 'finishing';
    try {
      await this.locks.releaseBaseAndGuard();
      const stats = { ...this.stats };
      const bytes =
        opts.keepManifest === true
          ? raw
          : encodeManifestBlob({
              ...manifest,
              unprotected: { ...manifest.unprotected, chunk_upload_stats: stats },
            }).raw;
      const lock = await this.core.locks.lockManifest(this.nsComponents, this.snapshot);
      try {
        await this.core.backend.writeFile(`${this.dir}/${MANIFEST_BLOB_NAME}`, bytes);
      } finally {
        lock.release();
      }
      await this.core.backend.sync();
    } catch (err) {
      this.state = 'active'; // the caller aborts; the locks of group and snapshot are still held
      throw err;
    }
    this.state = 'finished';
    await this.locks.releaseAll();
    return readSnapshotInfo(this.core, this.nsComponents, this.snapshot, await this.ownerOrNull());
  }

  private async ownerOrNull(): Promise<string | null> {
    return (await readOwner(this.core, this.nsComponents, this.snapshot)) ?? null;
  }

  async abort(): Promise<void> {
    if (this.state === 'finished' || this.state === 'aborted') return;
    this.state = 'aborted';
    try {
      for (const writer of this.indexWriters.values()) await writer.abort().catch(() => undefined);
      await this.core.backend.removeDir(this.dir, { recursive: true });
      await this.core.locks.removeSnapshotLockFiles(this.nsComponents, this.snapshot);
      await this.locks.removeGroupIfEmpty();
    } finally {
      await this.locks.releaseAll();
    }
  }
}
