import { createHash } from 'node:crypto';
import { AppError } from '@pbs/api-types/errors';
import type { ContentFileWriter, StorageBackend } from '@pbs/storage';
import { writeDigest, type Digest } from './digest.js';
import {
  FIXED_INDEX_CHUNK_SIZE,
  FIXED_INDEX_ENTRY_SIZE,
  FIXED_SIZED_CHUNK_INDEX_1_0,
  INDEX_HEADER_SIZE,
} from './file-formats.js';
import { FIXED_CHUNK_SIZE_OFFSET, FIXED_SIZE_OFFSET, type FixedIndexReader } from './fixed-index.js';
import { buildIndexHeader, checkIndexUuid, replaceExtension, writeU64 } from './index-file.js';

/*
 * FixedIndexWriter as in PBS: written through `<name>.tmp_fidx`, renamed on close. The digests
 * (32 bytes per 4 MiB, 8 MiB per TiB) are kept in memory and written once on close. A writer
 * without a known size starts with 128 slots and grows by powers of two; the size becomes fixed
 * at the first chunk that is not a multiple of the chunk size, because only the last may be short.
 */

const INITIAL_CAPACITY = 4096 / FIXED_INDEX_ENTRY_SIZE;

export interface FixedIndexWriterOptions {
  /** image size if known up front */
  readonly size?: number;
  /** power of two; the backup protocol always uses 4 MiB */
  readonly chunkSize?: number;
  /** creation time, epoch seconds */
  readonly ctime: number;
  /** fixed uuid instead of a random one: only for reproducible tests */
  readonly uuid?: Uint8Array;
}

function invalid(what: string, reason: string): AppError {
  return new AppError('INVALID_ARGUMENT', `${what}: ${reason}`);
}

export class FixedIndexWriter {
  private digests: Buffer;
  private length: number;
  private growable: boolean;
  private closed = false;

  private constructor(
    private readonly out: ContentFileWriter,
    private readonly uuid: Buffer,
    private readonly ctime: number,
    private readonly chunkSize: number,
    private sizeBytes: number,
    private readonly what: string,
  ) {
    this.length = Math.ceil(sizeBytes / chunkSize);
    this.growable = sizeBytes === 0;
    this.digests = Buffer.alloc((this.growable ? INITIAL_CAPACITY : this.length) * FIXED_INDEX_ENTRY_SIZE);
  }

  /** Starts `<path>` (relative to the datastore) with its temp file `<stem>.tmp_fidx`. */
  static async create(
    backend: StorageBackend,
    path: string,
    opts: FixedIndexWriterOptions,
  ): Promise<FixedIndexWriter> {
    const what = `fixed index '${path}'`;
    const chunkSize = opts.chunkSize ?? FIXED_INDEX_CHUNK_SIZE;
    if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0 || !Number.isInteger(Math.log2(chunkSize))) {
      throw invalid(what, `got non-power-of-two chunk size: ${chunkSize}`);
    }
    if (opts.size !== undefined && (!Number.isSafeInteger(opts.size) || opts.size <= 0)) {
      throw invalid(what, 'fidx file must have at least one chunk');
    }
    const uuid = checkIndexUuid(opts.uuid);
    const out = await backend.createFileWriter(path, replaceExtension(path, 'tmp_fidx'));
    return new FixedIndexWriter(out, uuid, opts.ctime, chunkSize, opts.size ?? 0, what);
  }

  /** number of chunk slots */
  get indexLength(): number {
    return this.length;
  }

  /** bytes of image data covered */
  get size(): number {
    return this.sizeBytes;
  }

  private ensureCapacity(slots: number): void {
    if (slots * FIXED_INDEX_ENTRY_SIZE <= this.digests.length) return;
    const grown = Buffer.alloc(slots * FIXED_INDEX_ENTRY_SIZE);
    this.digests.copy(grown);
    this.digests = grown;
  }

  /** grow_to_size: extends a writer of unknown size; INVALID_ARGUMENT once the size is fixed. */
  growToSize(requested: number): void {
    if (requested <= this.sizeBytes) return;
    if (!this.growable) throw invalid(this.what, `refusing to resize from ${this.sizeBytes} to ${requested}`);
    const length = Math.ceil(requested / this.chunkSize);
    if (length * this.chunkSize !== requested) {
      this.growable = false; // a short chunk must be the last one
      this.ensureCapacity(length);
    } else if (length * FIXED_INDEX_ENTRY_SIZE > this.digests.length) {
      this.ensureCapacity(2 ** Math.ceil(Math.log2(length)));
    }
    this.length = length;
    this.sizeBytes = requested;
  }

  /** Sets the digest of chunk slot `index`. */
  addDigest(index: number, digest: Digest): void {
    this.assertOpen();
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw invalid(this.what, `add digest failed - index out of range (${index} >= ${this.length})`);
    }
    writeDigest(digest, this.digests, index * FIXED_INDEX_ENTRY_SIZE);
  }

  /** add_chunk: the chunk [start, start + size) must be aligned; only the last may be short. */
  addChunk(start: number, size: number, digest: Digest): void {
    this.assertOpen();
    const end = start + size;
    if (!Number.isSafeInteger(start) || start < 0 || !Number.isSafeInteger(end)) {
      throw invalid(this.what, `invalid chunk range ${start}+${size}`);
    }
    this.growToSize(end);
    if (end > this.sizeBytes)
      throw invalid(this.what, `chunk data exceeds size (${end} > ${this.sizeBytes})`);
    const isLast = end === this.sizeBytes;
    if ((!isLast && size !== this.chunkSize) || size > this.chunkSize || size <= 0) {
      throw invalid(this.what, `chunk with unexpected length (${size} != ${this.chunkSize})`);
    }
    if (start % this.chunkSize !== 0) throw invalid(this.what, `got unaligned chunk (pos = ${start})`);
    this.addDigest(start / this.chunkSize, digest);
  }

  /** clone_data_from: copies a previous index's digests (incremental backups reusing a csum). */
  cloneDataFrom(reader: FixedIndexReader): void {
    this.assertOpen();
    if (reader.chunkSize !== this.chunkSize)
      throw invalid(this.what, "can't reuse file with different chunk size");
    if (this.growable) this.ensureCapacity(reader.count);
    const slots = Math.min(reader.count, this.digests.length / FIXED_INDEX_ENTRY_SIZE);
    for (let i = 0; i < slots; i++)
      writeDigest(reader.digestAt(i) as Digest, this.digests, i * FIXED_INDEX_ENTRY_SIZE);
  }

  /** Writes header and digests, renames the temp file into place and returns index_csum; on failure the temp file is gone. */
  async close(): Promise<Buffer> {
    this.assertOpen();
    if (this.length === 0) {
      await this.abort();
      throw invalid(this.what, 'fidx file must have at least one chunk');
    }
    this.closed = true;
    const digests = this.digests.subarray(0, this.length * FIXED_INDEX_ENTRY_SIZE);
    const csum = createHash('sha256').update(digests).digest();
    const header = buildIndexHeader(FIXED_SIZED_CHUNK_INDEX_1_0, this.uuid, this.ctime, csum);
    writeU64(header, this.sizeBytes, FIXED_SIZE_OFFSET);
    writeU64(header, this.chunkSize, FIXED_CHUNK_SIZE_OFFSET);
    try {
      await this.out.write(header, 0);
      await this.out.write(digests, INDEX_HEADER_SIZE);
      await this.out.truncate(INDEX_HEADER_SIZE + digests.length);
      await this.out.commit();
    } catch (err) {
      await this.out.abort();
      throw err;
    }
    return csum;
  }

  /** Drops the temp file; the final file is never touched. */
  async abort(): Promise<void> {
    this.closed = true;
    await this.out.abort();
  }

  private assertOpen(): void {
    if (this.closed) throw invalid(this.what, 'index writer is already closed');
  }
}
