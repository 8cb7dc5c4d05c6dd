import { createHash } from 'node:crypto';
import { AppError, toAppError } from '@pbs/api-types/errors';
import { ZERO_CHUNK_SIZE, type Digest } from '@pbs/datastore';
import { isAllZero } from '../chunker/fixed-chunks.js';
import type { H2Session } from '../http/h2-session.js';
import { Semaphore } from '../util/semaphore.js';
import type { ChunkEncoder, PreparedChunk } from './chunk-encoder.js';
import { IndexAppender, type ChunkTicket } from './index-appender.js';
import { UploadCounters, type UploadStats } from './upload-stats.js';

/*
 * One archive through the backup protocol (BackupWriter::upload_stream): POST *_index, then per
 * chunk digest → known? (previous snapshot or this session: append only) : encode and
 * POST *_chunk with at most `concurrency` uploads in flight; entries are appended in order in
 * batches; finally POST *_close with the count, size and index csum (dynamic: sha256 over
 * end_le64 || digest per entry; fixed: sha256 over the digests).
 */

export type IndexKind = 'fixed' | 'dynamic';

export interface UploadStreamOptions {
  readonly h2: H2Session;
  /** server file name, e.g. `root.pxar.didx` */
  readonly archive: string;
  readonly kind: IndexKind;
  /** image size for fixed indexes (omit for a stream of unknown length) */
  readonly size?: number;
  readonly encoder: ChunkEncoder;
  /** digests the session may reference, shared by all archives of the session */
  readonly known: Map<Digest, ChunkTicket>;
  readonly concurrency?: number;
  readonly onProgress?: (counters: Readonly<UploadCounters>) => void;
  readonly signal?: AbortSignal;
}

function endLe(end: number): Buffer {
  const buf = Buffer.allocUnsafe(8);
  buf.writeUInt32LE(end % 0x1_0000_0000, 0);
  buf.writeUInt32LE(Math.floor(end / 0x1_0000_0000), 4);
  return buf;
}

/**
 * One open index writer. `add` takes the archive's chunks in order (awaiting it applies the upload
 * backpressure); `finish` appends what is left and closes the index. Pull sources use
 * `uploadStream`; push sources (the pxar encoder's sink) call `add` themselves.
 */
export class IndexUpload {
  private readonly counters = new UploadCounters();
  private readonly csum = createHash('sha256');
  private readonly slots: Semaphore;
  private readonly chunkPath: string;
  private failure: unknown;
  private readonly started = performance.now();
  /** everything after the digest, in archive order */
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly opts: UploadStreamOptions,
    private readonly wid: number,
    private readonly appender: IndexAppender,
  ) {
    this.slots = new Semaphore(opts.concurrency ?? 8);
    this.chunkPath = `/${opts.kind}_chunk`;
  }

  static async open(opts: UploadStreamOptions): Promise<IndexUpload> {
    const wid = (await opts.h2.post(`/${opts.kind}_index`, {
      'archive-name': opts.archive,
      ...(opts.size !== undefined && { size: opts.size }),
    })) as number;
    if (!Number.isInteger(wid)) throw new AppError('INTERNAL', `${opts.archive}: server sent no writer id`);
    return new IndexUpload(opts, wid, new IndexAppender(opts.h2, `/${opts.kind}_index`, wid));
  }

  get archive(): string {
    return this.opts.archive;
  }

  /** Bytes of the chunks processed so far (digested, in order). */
  get size(): number {
    return this.counters.size;
  }

  private fail = (err: unknown): void => {
    this.failure ??= err;
  };

  private checkFailure(): void {
    const failure = this.failure ?? this.appender.failed;
    if (failure === undefined) return;
    const err = toAppError(failure);
    throw new AppError(err.code, `${this.opts.archive}: ${err.message}`, { cause: err });
  }

  /**
   * The next chunk of the archive (not modified by the caller afterwards). `owned`: the caller
   * gives the buffer away (an encoder worker may take its memory without a copy). Digests may be
   * computed elsewhere (worker threads); everything after the digest happens in archive order.
   */
  async add(data: Buffer, owned = false): Promise<void> {
    const { opts } = this;
    opts.signal?.throwIfAborted();
    this.checkFailure();
    const size = data.length;
    const zero = opts.kind === 'fixed' && size === ZERO_CHUNK_SIZE && isAllZero(data);
    const waitFrom = performance.now();
    await this.slots.acquire();
    this.counters.stallMs += performance.now() - waitFrom;
    const prepared: Promise<PreparedChunk> = zero
      ? Promise.resolve(this.zeroPrepared())
      : opts.encoder.prepare(data, owned);
    prepared.catch(() => undefined);
    this.chain = this.chain
      .then(async () => this.process(await prepared, size, zero))
      .catch((err: unknown) => {
        this.slots.release();
        this.fail(err);
      });
  }

  /**
   * A chunk this session already may reference (the previous snapshot's, registered with the
   * server), appended in order without its data: metadata change detection's reused payload.
   */
  async addKnown(digest: Digest, size: number): Promise<void> {
    const { opts } = this;
    opts.signal?.throwIfAborted();
    this.checkFailure();
    if (!opts.known.has(digest)) {
      throw new AppError('INTERNAL', `${opts.archive}: chunk ${digest} is not known to this session`);
    }
    await this.slots.acquire();
    const prepared: PreparedChunk = {
      digest,
      encode: () => Promise.reject(new AppError('INTERNAL', `chunk ${digest}: no data to encode`)),
      drop: () => undefined,
    };
    this.chain = this.chain
      .then(() => this.process(prepared, size, false))
      .catch((err: unknown) => {
        this.slots.release();
        this.fail(err);
      });
  }

  private zeroPrepared(): PreparedChunk {
    const { digest, blob } = this.opts.encoder.zeroChunk();
    return { digest, encode: () => Promise.resolve(blob.raw), drop: () => undefined };
  }

  /** In archive order: known or new, csum, index entry; starts the upload of a new chunk. */
  private process(prepared: PreparedChunk, size: number, zero: boolean): void {
    const { opts, counters } = this;
    if (this.failure !== undefined) throw toAppError(this.failure);
    const { digest } = prepared;
    let ticket = opts.known.get(digest);
    let offset: number;
    if (ticket) {
      prepared.drop();
      this.slots.release();
      offset = counters.addKnown(size);
    } else {
      offset = counters.addNew(size);
      const newTicket: ChunkTicket = {
        done: false,
        promise: prepared
          .encode()
          .then((blob) => {
            counters.addEncoded(blob.length);
            return opts.h2.upload(
              this.chunkPath,
              { wid: this.wid, digest, size, 'encoded-size': blob.length },
              blob,
            );
          })
          .then(() => {
            newTicket.done = true;
            counters.sentBytes += size;
            opts.onProgress?.(counters);
          })
          .finally(() => this.slots.release()),
      };
      newTicket.promise.catch(this.fail);
      opts.known.set(digest, newTicket);
      ticket = newTicket;
    }
    if (zero) counters.zeroChunks++;
    if (opts.kind === 'dynamic') this.csum.update(endLe(offset + size));
    this.csum.update(Buffer.from(digest, 'hex'));
    this.appender.push(offset, digest, ticket);
    if (ticket.done) {
      counters.sentBytes += size;
      opts.onProgress?.(counters);
    }
  }

  /** Waits for the uploads and appends, then POST *_close. */
  async finish(): Promise<UploadStats> {
    await this.chain;
    await this.appender.drain().catch(this.fail);
    this.checkFailure();
    const csumHex = this.csum.digest('hex');
    await this.opts.h2.post(`/${this.opts.kind}_close`, {
      wid: this.wid,
      'chunk-count': this.counters.chunkCount,
      size: this.counters.size,
      csum: csumHex,
    });
    return this.counters.finish(this.opts.archive, csumHex, performance.now() - this.started);
  }
}

export async function uploadStream(
  chunks: AsyncIterable<Buffer>,
  opts: UploadStreamOptions,
): Promise<UploadStats> {
  const upload = await IndexUpload.open(opts);
  for await (const data of chunks) await upload.add(data);
  return upload.finish();
}
