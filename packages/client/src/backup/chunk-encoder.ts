import { DataBlob, encodeZeroChunk, sha256Digest, ZERO_CHUNK_DIGEST, ZERO_CHUNK_SIZE } from '@pbs/datastore';
import { CodecPool, type HeldChunk } from '../codec/codec-pool.js';
import type { Digest, CryptConfig } from '@pbs/datastore';

/*
 * Chunk digests and DataBlobs as the PBS client builds them (DataChunkBuilder): the digest is
 * sha256(data), or sha256(data || id_key) when encrypting; the blob is zstd level 1 (kept only
 * if smaller), then AES-256-GCM when encrypting. The 4 MiB zero chunk is digested and encoded
 * once per key and reused (image backups are often mostly zeros). Blobs can be encoded on
 * worker threads (CodecPool): compression is the client's largest per-byte cost.
 */

/** A digested chunk whose blob is made only if needed. */
export type PreparedChunk = HeldChunk;

export interface EncoderWorkers {
  /** worker threads encoding blobs (0: encode on the calling thread) */
  readonly count: number;
  /** the raw key of `crypt` (workers rebuild the CryptConfig from it) */
  readonly key?: Uint8Array;
}

export class ChunkEncoder {
  private zero: { digest: Digest; blob: DataBlob } | undefined;
  private pool: CodecPool | undefined;

  constructor(
    /** encrypt chunks with this key (crypt mode `encrypt`); none for `none` and `sign-only` */
    readonly crypt: CryptConfig | undefined,
    readonly compress = true,
    workers: EncoderWorkers = { count: 0 },
  ) {
    // workers rebuild the key from its raw bytes; without them encrypting stays on this thread
    this.workers = crypt && !workers.key ? { count: 0 } : workers;
  }

  private readonly workers: EncoderWorkers;

  private codec(): CodecPool | undefined {
    if (this.workers.count <= 0) return undefined;
    this.pool ??= new CodecPool({
      size: this.workers.count,
      compress: this.compress,
      ...(this.crypt && this.workers.key && { key: this.workers.key }),
    });
    return this.pool;
  }

  /**
   * The encoded blob bytes, on a worker thread when the encoder has workers. With `owned` the
   * caller hands `data` over (its memory may be detached).
   */
  encodeRaw(data: Buffer, digest: Digest, owned = false): Promise<Buffer> {
    const pool = this.codec();
    return pool ? pool.encode(data, digest, owned) : Promise.resolve(this.encode(data, digest).raw);
  }

  /**
   * The chunk's digest, with the encoding deferred until the caller knows the server needs the
   * chunk: with workers both happen there (the data is sent once), else on this thread.
   */
  prepare(data: Buffer, owned = false): Promise<PreparedChunk> {
    const pool = this.codec();
    if (pool) return pool.hold(data, owned);
    const digest = this.digest(data);
    return Promise.resolve({
      digest,
      encode: () => Promise.resolve(this.encode(data, digest).raw),
      drop: () => undefined,
    });
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }

  digest(data: Uint8Array): Digest {
    return this.crypt ? this.crypt.computeDigest(data) : sha256Digest(data);
  }

  encode(data: Uint8Array, digest: Digest): DataBlob {
    return DataBlob.encode(data, {
      ...(this.crypt && { crypt: this.crypt }),
      compress: this.compress,
      what: `chunk ${digest}`,
    });
  }

  /** The 4 MiB all-zero chunk under this encoder's key. */
  zeroChunk(): { digest: Digest; blob: DataBlob } {
    if (!this.zero) {
      if (!this.crypt && this.compress) this.zero = { digest: ZERO_CHUNK_DIGEST, blob: encodeZeroChunk() };
      else {
        const data = Buffer.alloc(ZERO_CHUNK_SIZE);
        const digest = this.digest(data);
        this.zero = { digest, blob: this.encode(data, digest) };
      }
    }
    return this.zero;
  }
}
