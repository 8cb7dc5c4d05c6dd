/**
 * Sequential reads of exact byte counts from an async stream of Buffers, tracking the absolute
 * position. Reads that fit in the current chunk return a view (no copy); only reads that span
 * chunks concatenate. Truncation is CORRUPT_DATA naming the archive and the offset.
 */
import { corrupt } from '../errors.js';
import { HEADER_SIZE } from '../format/constants.js';
import type { ItemSource } from '../format/entry-reader.js';
import { parseHeader } from '../format/parse.js';

/** Archive bytes in order: a Node Readable, an async generator, or an array of Buffers. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
}

export class ByteReader {
  /** Absolute offset of the next unread byte. */
  position = 0;
  private readonly iter: AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
  private chunks: Buffer[] = [];
  /** Read offset inside chunks[0]. */
  private head = 0;
  private available = 0;
  private ended = false;

  constructor(
    source: ByteSource,
    private readonly name: string | undefined,
    private readonly what = 'archive',
  ) {
    this.iter =
      Symbol.asyncIterator in source
        ? (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
        : (source as Iterable<Uint8Array>)[Symbol.iterator]();
  }

  /** Makes at least `n` bytes available; false when the stream ends first. */
  private async fill(n: number): Promise<boolean> {
    while (this.available < n) {
      if (this.ended) return false;
      const next = await this.iter.next();
      if (next.done === true) {
        this.ended = true;
        return false;
      }
      const chunk = toBuffer(next.value);
      if (chunk.length === 0) continue;
      this.chunks.push(chunk);
      this.available += chunk.length;
    }
    return true;
  }

  private eof(need: number): Error {
    return corrupt(
      this.name,
      `unexpected EOF in ${this.what} at offset ${this.position + this.available} (needed ${need - this.available} more bytes)`,
    );
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }

  /** Exactly `n` bytes, or null when the stream ends cleanly before the first of them. */
  async readExactOrEof(n: number): Promise<Buffer | null> {
    if (!(await this.fill(n))) {
      if (this.available === 0) return null;
      throw this.eof(n);
    }
    return this.take(n);
  }

  /** Exactly `n` bytes; EOF is corruption. The result may be a view: copy it to keep it. */
  async readExact(n: number): Promise<Buffer> {
    if (!(await this.fill(n))) throw this.eof(n);
    return this.take(n);
  }

  /** Up to `max` bytes from what is buffered (reading one more chunk if empty); null at EOF. */
  async readUpTo(max: number): Promise<Buffer | null> {
    if (max <= 0) return Buffer.alloc(0);
    if (this.available === 0 && !(await this.fill(1))) return null;
    const first = this.chunks[0] as Buffer;
    return this.take(Math.min(max, first.length - this.head));
  }

  /** Discards `n` bytes. */
  async skip(n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      if (this.available === 0 && !(await this.fill(1))) throw this.eof(left);
      const first = this.chunks[0] as Buffer;
      const step = Math.min(left, first.length - this.head);
      this.consume(step);
      left -= step;
    }
  }

  private consume(n: number): void {
    this.head += n;
    this.available -= n;
    this.position += n;
    while (this.chunks.length > 0 && this.head >= (this.chunks[0] as Buffer).length) {
      this.head -= (this.chunks[0] as Buffer).length;
      this.chunks.shift();
    }
  }

  private take(n: number): Buffer {
    const first = this.chunks[0] as Buffer;
    if (first.length - this.head >= n) {
      const view = first.subarray(this.head, this.head + n);
      this.consume(n);
      return view;
    }
    const out = Buffer.allocUnsafe(n);
    let copied = 0;
    while (copied < n) {
      const chunk = this.chunks[0] as Buffer;
      const step = Math.min(n - copied, chunk.length - this.head);
      chunk.copy(out, copied, this.head, this.head + step);
      copied += step;
      this.consume(step);
    }
    return out;
  }
}

/** Item-level reads (headers checked as pxar does) over a ByteReader. */
export function itemSourceOf(reader: ByteReader, name: string | undefined): ItemSource {
  return {
    get position() {
      return reader.position;
    },
    async readHeader() {
      const at = reader.position;
      const bytes = await reader.readExactOrEof(HEADER_SIZE);
      return bytes === null ? null : parseHeader(bytes, 0, name, at);
    },
    readContent: (n) => reader.readExact(n),
  };
}
