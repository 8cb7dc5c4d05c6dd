import { createHash, type Hash } from 'node:crypto';
import { AppError } from '@pbs/api-types/errors';
import type { ContentFileWriter, StorageBackend } from '@pbs/storage';
import { writeDigest, type Digest } from './digest.js';
import {
  DYNAMIC_INDEX_ENTRY_SIZE,
  DYNAMIC_SIZED_CHUNK_INDEX_1_0,
  INDEX_HEADER_SIZE,
} from './file-formats.js';
import { buildIndexHeader, checkIndexUuid, replaceExtension, writeU64 } from './index-file.js';

/*
 * DynamicIndexWriter as in PBS: entries stream through a 1 MiB buffer into `<name>.tmp_didx`
 * (a pxar archive of small chunks has millions of them); close writes the header with the csum
 * of all entry bytes and renames the file into place.
 */

const BUFFER_ENTRIES = Math.floor((1024 * 1024) / DYNAMIC_INDEX_ENTRY_SIZE);

export interface DynamicIndexWriterOptions {
  /** creation time, epoch seconds */
  readonly ctime: number;
  /** fixed uuid instead of a random one: only for reproducible tests */
  readonly uuid?: Uint8Array;
}

function invalid(what: string, reason: string): AppError {
  return new AppError('INVALID_ARGUMENT', `${what}: ${reason}`);
}

export class DynamicIndexWriter {
  private readonly buffer = Buffer.alloc(BUFFER_ENTRIES * DYNAMIC_INDEX_ENTRY_SIZE);
  private buffered = 0;
  private written = 0;
  private lastEnd = 0;
  private readonly csum: Hash = createHash('sha256');
  private closed = false;

  private constructor(
    private readonly out: ContentFileWriter,
    private readonly uuid: Buffer,
    private readonly ctime: number,
    private readonly what: string,
  ) {}

  /** Starts `<path>` (relative to the datastore) with its temp file `<stem>.tmp_didx`. */
  static async create(
    backend: StorageBackend,
    path: string,
    opts: DynamicIndexWriterOptions,
  ): Promise<DynamicIndexWriter> {
    const uuid = checkIndexUuid(opts.uuid);
    const out = await backend.createFileWriter(path, replaceExtension(path, 'tmp_didx'));
    return new DynamicIndexWriter(out, uuid, opts.ctime, `dynamic index '${path}'`);
  }

  /** number of entries added */
  get count(): number {
    return this.written + this.buffered;
  }

  /** bytes of data covered (end of the last chunk) */
  get size(): number {
    return this.lastEnd;
  }

  /** Appends a chunk by its *end* offset (the protocol's start offsets are converted by the caller). */
  async addChunk(end: number, digest: Digest): Promise<void> {
    if (this.closed) throw invalid(this.what, 'cannot write to closed dynamic index file');
    if (!Number.isSafeInteger(end) || end < this.lastEnd) {
      throw invalid(this.what, `chunk end offset ${end} lies before the previous end ${this.lastEnd}`);
    }
    const at = this.buffered * DYNAMIC_INDEX_ENTRY_SIZE;
    writeU64(this.buffer, end, at);
    writeDigest(digest, this.buffer, at + 8);
    this.lastEnd = end;
    this.buffered++;
    if (this.buffered === BUFFER_ENTRIES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffered === 0) return;
    const bytes = this.buffer.subarray(0, this.buffered * DYNAMIC_INDEX_ENTRY_SIZE);
    this.csum.update(bytes);
    await this.out.write(bytes, INDEX_HEADER_SIZE + this.written * DYNAMIC_INDEX_ENTRY_SIZE);
    this.written += this.buffered;
    this.buffered = 0;
  }

  /** Flushes, writes the header, renames into place and returns index_csum; on failure the temp file is gone. */
  async close(): Promise<Buffer> {
    if (this.closed) throw invalid(this.what, 'cannot close already closed archive index file');
    this.closed = true;
    try {
      await this.flush();
      const csum = this.csum.digest();
      await this.out.write(buildIndexHeader(DYNAMIC_SIZED_CHUNK_INDEX_1_0, this.uuid, this.ctime, csum), 0);
      await this.out.commit();
      return csum;
    } catch (err) {
      await this.out.abort();
      throw err;
    }
  }

  /** Drops the temp file; the final file is never touched. */
  async abort(): Promise<void> {
    this.closed = true;
    await this.out.abort();
  }
}
