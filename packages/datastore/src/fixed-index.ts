import { createHash } from 'node:crypto';
import { digestFromBytes, type Digest } from './digest.js';
import { FIXED_INDEX_ENTRY_SIZE, FIXED_SIZED_CHUNK_INDEX_1_0, INDEX_HEADER_SIZE } from './file-formats.js';
import {
  corruptIndex,
  readIndexHeader,
  readU64,
  verifyHeaderCsum,
  type ChunkReadInfo,
  type IndexFile,
} from './index-file.js';

/*
 * Fixed index reader (`.fidx`, pbs-formats §3.1): header size[u64] at 64 and chunk_size[u64] at
 * 72, then ceil(size / chunk_size) digests. index_csum = sha256 of the digest bytes.
 */

export const FIXED_SIZE_OFFSET = 64;
export const FIXED_CHUNK_SIZE_OFFSET = 72;

function isPowerOfTwo(n: number): boolean {
  return n > 0 && Number.isInteger(Math.log2(n));
}

export class FixedIndexReader implements IndexFile {
  readonly kind = 'fixed';

  private constructor(
    private readonly buf: Buffer,
    readonly uuid: Buffer,
    readonly ctime: number,
    readonly headerCsum: Buffer,
    readonly size: number,
    readonly chunkSize: number,
    readonly count: number,
    private readonly what: string,
  ) {}

  /** Validates like PBS's reader (magic, power-of-two chunk size, exact file size). */
  static decode(buf: Buffer, what: string): FixedIndexReader {
    const header = readIndexHeader(buf, FIXED_SIZED_CHUNK_INDEX_1_0, what);
    const size = readU64(buf, FIXED_SIZE_OFFSET, what, 'size');
    const chunkSize = readU64(buf, FIXED_CHUNK_SIZE_OFFSET, what, 'chunk size');
    if (!isPowerOfTwo(chunkSize)) throw corruptIndex(what, `got non-power-of-two chunk size: ${chunkSize}`);
    const count = Math.ceil(size / chunkSize);
    if (count === 0) throw corruptIndex(what, 'fixed index has no chunks');
    const expected = INDEX_HEADER_SIZE + count * FIXED_INDEX_ENTRY_SIZE;
    if (buf.length !== expected) {
      throw corruptIndex(
        what,
        `wrong file size (expected ${expected} bytes for ${count} chunks, got ${buf.length})`,
      );
    }
    return new FixedIndexReader(buf, header.uuid, header.ctime, header.csum, size, chunkSize, count, what);
  }

  get indexBytes(): number {
    return this.size;
  }

  digestAt(pos: number): Digest | undefined {
    if (!Number.isInteger(pos) || pos < 0 || pos >= this.count) return undefined;
    return digestFromBytes(this.buf, INDEX_HEADER_SIZE + pos * FIXED_INDEX_ENTRY_SIZE);
  }

  chunkInfo(pos: number): ChunkReadInfo | undefined {
    const digest = this.digestAt(pos);
    if (digest === undefined) return undefined;
    const start = pos * this.chunkSize;
    return { start, end: Math.min(start + this.chunkSize, this.size), digest };
  }

  chunkFromOffset(offset: number): { pos: number; offsetInChunk: number } | undefined {
    if (!Number.isInteger(offset) || offset < 0 || offset >= this.size) return undefined;
    return { pos: Math.floor(offset / this.chunkSize), offsetInChunk: offset % this.chunkSize };
  }

  computeCsum(): { csum: Buffer; size: number } {
    const csum = createHash('sha256').update(this.buf.subarray(INDEX_HEADER_SIZE)).digest();
    return { csum, size: this.size };
  }

  verifyCsum(): void {
    verifyHeaderCsum(this, this.what);
  }

  *digests(): IterableIterator<Digest> {
    for (let pos = 0; pos < this.count; pos++) {
      yield digestFromBytes(this.buf, INDEX_HEADER_SIZE + pos * FIXED_INDEX_ENTRY_SIZE);
    }
  }
}
