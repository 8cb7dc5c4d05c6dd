import { createHash } from 'node:crypto';
import { AppError } from '@pbs/api-types/errors';
import {
  checkManifestFingerprint,
  DataBlob,
  decodeManifestBlob,
  DynamicIndexReader,
  FixedIndexReader,
  MANIFEST_BLOB_NAME,
  verifyManifestFile,
  type BackupManifest,
  type CryptConfig,
  type Digest,
  type SnapshotRef,
} from '@pbs/datastore';
import type { H2Session } from '../http/h2-session.js';
import type { HttpClient } from '../http/http-client.js';
import { ChunkEncoder, type EncoderWorkers } from './chunk-encoder.js';
import { KNOWN_CHUNK, type ChunkTicket } from './index-appender.js';
import { IndexUpload, type IndexKind } from './upload-stream.js';
import type { UploadCounters, UploadStats } from './upload-stats.js';

/*
 * A backup session (pbs-client BackupWriter, pbs-formats §10.1/10.3): the upgrade to
 * `proxmox-backup-protocol-v1`, the previous snapshot's manifest and indexes (their digests become
 * known chunks, so unchanged data is appended without upload), archive and blob uploads, and
 * `finish`. Until `finish` succeeds the server keeps nothing: closing or losing the connection
 * discards the snapshot.
 */

export const BACKUP_PROTOCOL = 'proxmox-backup-protocol-v1';

export interface BackupWriterOptions {
  readonly store: string;
  /** namespace, '' or undefined for the root */
  readonly ns?: string;
  readonly snapshot: SnapshotRef;
  /** the key for `encrypt` and `sign-only` (chunks are encrypted only when `encrypt` is asked per upload) */
  readonly crypt?: CryptConfig;
  readonly benchmark?: boolean;
  readonly noCache?: boolean;
  /** encode chunk blobs on worker threads (the raw key is needed to encrypt there) */
  readonly workers?: EncoderWorkers;
}

export interface BlobStats {
  /** encoded (file) size, as the manifest records it for blobs */
  readonly size: number;
  /** sha256 of the encoded bytes */
  readonly csum: string;
}

export interface UploadIndexOptions {
  readonly kind: IndexKind;
  /** image size (fixed) */
  readonly size?: number;
  /** encrypt the chunks (crypt mode `encrypt`) */
  readonly encrypt: boolean;
  /** the previous snapshot's manifest: its index of the same name seeds the known chunks */
  readonly previous?: BackupManifest;
  readonly concurrency?: number;
  readonly onProgress?: (counters: Readonly<UploadCounters>) => void;
  readonly signal?: AbortSignal;
  /** the chunks are buffers the caller gives away (fixed image chunks): no copy for workers */
  readonly ownedChunks?: boolean;
  /** receives the warning when the previous index cannot be used */
  readonly warn?: (message: string) => void;
}

export class BackupWriter {
  /** digests the server accepts in this session (uploaded or registered by `previous`) */
  readonly known = new Map<Digest, ChunkTicket>();
  private readonly plainEncoder: ChunkEncoder;
  private readonly cryptEncoder: ChunkEncoder | undefined;

  private constructor(
    readonly h2: H2Session,
    readonly crypt: CryptConfig | undefined,
    workers: EncoderWorkers | undefined,
  ) {
    this.plainEncoder = new ChunkEncoder(undefined, true, { count: workers?.count ?? 0 });
    this.cryptEncoder = crypt ? new ChunkEncoder(crypt, true, workers) : undefined;
  }

  static async start(client: HttpClient, opts: BackupWriterOptions): Promise<BackupWriter> {
    const h2 = await client.upgrade(
      '/api2/json/backup',
      {
        store: opts.store,
        'backup-type': opts.snapshot.type,
        'backup-id': opts.snapshot.id,
        'backup-time': opts.snapshot.time,
        ...(opts.ns !== undefined && opts.ns !== '' && { ns: opts.ns }),
        debug: true,
        benchmark: opts.benchmark ?? false,
        ...(opts.noCache === true && { 'no-cache': true }),
      },
      BACKUP_PROTOCOL,
      'backup session',
    );
    return new BackupWriter(h2, opts.crypt, opts.workers);
  }

  /** Epoch of the previous (finished, not failed) snapshot of the group, or null. */
  async previousBackupTime(): Promise<number | null> {
    const value = await this.h2.get('/previous_backup_time');
    return typeof value === 'number' ? value : null;
  }

  /** The previous snapshot's manifest, signature checked when this session has a key. */
  async previousManifest(): Promise<BackupManifest> {
    const raw = await this.h2.download('/previous', { 'archive-name': MANIFEST_BLOB_NAME });
    const blob = DataBlob.load(raw, `previous ${MANIFEST_BLOB_NAME}`);
    return decodeManifestBlob(blob, this.crypt);
  }

  /**
   * GET /previous for an index: the server registers its digests, and so do we. The index is
   * checked against the previous manifest (computed csum and size, never the header's).
   */
  async registerPreviousIndex(archive: string, previous: BackupManifest): Promise<number> {
    const raw = await this.h2.download('/previous', { 'archive-name': archive });
    const what = `previous ${archive}`;
    const index = archive.endsWith('.fidx')
      ? FixedIndexReader.decode(raw, what)
      : DynamicIndexReader.decode(raw, what);
    const { csum, size } = index.computeCsum();
    verifyManifestFile(previous, archive, csum.toString('hex'), size);
    for (const digest of index.digests()) if (!this.known.has(digest)) this.known.set(digest, KNOWN_CHUNK);
    return index.count;
  }

  /** Whether a previous manifest can seed this session (same key, or none on both sides). */
  canReuse(previous: BackupManifest): boolean {
    try {
      checkManifestFingerprint(previous, this.crypt);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Opens an index for push-style uploads (`add` per chunk, then `finish`); the previous
   * snapshot's index of the same name seeds the known chunks first (errors only warn, as PBS).
   */
  async openIndex(archive: string, opts: UploadIndexOptions): Promise<IndexUpload> {
    if (opts.encrypt && !this.cryptEncoder)
      throw new AppError('INVALID_ARGUMENT', 'requested encryption without a key');
    if (opts.previous?.files.some((f) => f.filename === archive)) {
      try {
        await this.registerPreviousIndex(archive, opts.previous);
      } catch (err) {
        opts.warn?.(`Error downloading ${archive} from previous manifest: ${(err as Error).message}`);
      }
    }
    return IndexUpload.open({
      h2: this.h2,
      archive,
      kind: opts.kind,
      ...(opts.size !== undefined && { size: opts.size }),
      encoder: opts.encrypt ? (this.cryptEncoder as ChunkEncoder) : this.plainEncoder,
      known: this.known,
      ...(opts.concurrency !== undefined && { concurrency: opts.concurrency }),
      ...(opts.onProgress && { onProgress: opts.onProgress }),
      ...(opts.signal && { signal: opts.signal }),
    });
  }

  /** An archive from a pull source of chunks. */
  async uploadIndex(
    archive: string,
    chunks: AsyncIterable<Buffer>,
    opts: UploadIndexOptions,
  ): Promise<UploadStats> {
    const upload = await this.openIndex(archive, opts);
    for await (const data of chunks) await upload.add(data, opts.ownedChunks === true);
    return upload.finish();
  }

  /** POST /blob with already encoded bytes. */
  async uploadRawBlob(fileName: string, raw: Buffer): Promise<BlobStats> {
    await this.h2.upload('/blob', { 'file-name': fileName, 'encoded-size': raw.length }, raw);
    return { size: raw.length, csum: createHash('sha256').update(raw).digest('hex') };
  }

  /** Encodes (zstd, and AES-GCM when `encrypt`) and uploads a blob. */
  uploadBlob(fileName: string, data: Buffer, encrypt: boolean): Promise<BlobStats> {
    if (encrypt && !this.crypt) throw new AppError('INVALID_ARGUMENT', 'requested encryption without a key');
    const blob = DataBlob.encode(data, {
      ...(encrypt && this.crypt && { crypt: this.crypt }),
      what: `blob '${fileName}'`,
    });
    return this.uploadRawBlob(fileName, blob.raw);
  }

  /** POST /finish: the snapshot becomes visible; the connection is closed afterwards. */
  async finish(): Promise<void> {
    await this.h2.post('/finish');
    await this.h2.close();
    await this.closeEncoders();
  }

  /** Drops the session: the server discards the unfinished snapshot. */
  abort(): void {
    this.h2.destroy();
    void this.closeEncoders();
  }

  private async closeEncoders(): Promise<void> {
    await Promise.all([this.plainEncoder.close(), this.cryptEncoder?.close()]);
  }
}
