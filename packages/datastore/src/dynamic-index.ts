import { createHash } from 'node:crypto';
import { digestFromBytes, type Digest } from './digest.js';
import {
  DYNAMIC_INDEX_ENTRY_SIZE,
  DYNAMIC_SIZED_CHUNK_INDEX_1_0,
  INDEX_HEADER_SIZE,
} from './file-formats.js';
import {
  corruptIndex,
  readIndexHeader,
  readU64,
  verifyHeaderCsum,
  type ChunkReadInfo,
  type IndexFile,
} from './index-file.js';

/*
 * Dynamic index reader (`.didx`, pbs-formats §3.2): entries of end[u64] (exclusive end offset
 * of the chunk in the data) + digest[32]. index_csum = sha256 of all entry bytes in order.
 */

function entryOffset(pos: number): number {
  return INDEX_HEADER_SIZE + pos * DYNAMIC_INDEX_ENTRY_SIZE;
}

export class DynamicIndexReader implements IndexFile {
  readonly kind = 'dynamic';

  private constructor(
    private readonly buf: Buffer,
    readonly uuid: Buffer,
    readonly ctime: number,
    readonly headerCsum: Buffer,
    readonly count: number,
    private readonly what: string,
  ) {}

  /** Validates magic, entry alignment and (beyond PBS) that end offsets never decrease. */
  static decode(buf: Buffer, what: string): DynamicIndexReader {
    const header = readIndexHeader(buf, DYNAMIC_SIZED_CHUNK_INDEX_1_0, what);
    const entryBytes = buf.length - INDEX_HEADER_SIZE;
    if (entryBytes % DYNAMIC_INDEX_ENTRY_SIZE !== 0) {
      throw corruptIndex(what, `wrong file size (${entryBytes} entry bytes are not a multiple of 40)`);
    }
    const count = entryBytes / DYNAMIC_INDEX_ENTRY_SIZE;
    let previous = 0;
    for (let pos = 0; pos < count; pos++) {
      const end = readU64(buf, entryOffset(pos), what, `end offset of chunk ${pos}`);
      if (end < previous)
        throw corruptIndex(what, `end offset of chunk ${pos} decreases (${end} < ${previous})`);
      previous = end;
    }
    return new DynamicIndexReader(buf, header.uuid, header.ctime, header.csum, count, what);
  }

  /** exclusive end offset of chunk `pos` */
  chunkEnd(pos: number): number {
    return readU64(this.buf, entryOffset(pos), this.what, 'end offset');
  }

  get indexBytes(): number {
    return this.count === 0 ? 0 : this.chunkEnd(this.count - 1);
  }

  digestAt(pos: number): Digest | undefined {
    if (!Number.isInteger(pos) || pos < 0 || pos >= this.count) return undefined;
    return digestFromBytes(this.buf, entryOffset(pos) + 8);
  }

  chunkInfo(pos: number): ChunkReadInfo | undefined {
    const digest = this.digestAt(pos);
    if (digest === undefined) return undefined;
    return { start: pos === 0 ? 0 : this.chunkEnd(pos - 1), end: this.chunkEnd(pos), digest };
  }

  /** Binary search for the first chunk whose end lies beyond `offset`. */
  chunkFromOffset(offset: number): { pos: number; offsetInChunk: number } | undefined {
    if (!Number.isInteger(offset) || offset < 0 || offset >= this.indexBytes) return undefined;
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (offset < this.chunkEnd(mid)) hi = mid;
      else lo = mid + 1;
    }
    return { pos: lo, offsetInChunk: offset - (lo === 0 ? 0 : this.chunkEnd(lo - 1)) };
  }

  computeCsum(): { csum: Buffer; size: number } {
    const csum = createHash('sha256').update(this.buf.subarray(INDEX_HEADER_SIZE)).digest();
    return { csum, size: this.indexBytes };
  }

  verifyCsum(): void {
    verifyHeaderCsum(this, this.what);
  }

  *digests(): IterableIterator<Digest> {
    for (let pos = 0; pos < this.count; pos++) yield digestFromBytes(this.buf, entryOffset(pos) + 8);
  }
}
