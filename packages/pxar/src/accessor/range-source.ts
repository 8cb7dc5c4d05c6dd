/**
 * An ItemSource over a byte range of a random-access archive: items are parsed from a small
 * read-ahead window (a .didx-backed reader pays per call, so one read usually covers a whole
 * entry's metadata).
 */
import { corrupt } from '../errors.js';
import { HEADER_SIZE } from '../format/constants.js';
import type { ItemSource } from '../format/entry-reader.js';
import { parseHeader, type Header } from '../format/parse.js';

/** Reads `length` bytes at `offset`; must return exactly that many (the caller stays in range). */
export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

const WINDOW = 16 * 1024;

/** Calls `read` and checks the length (a short read is a truncated archive). */
export async function readExactAt(
  read: ReadAt,
  offset: number,
  length: number,
  name: string | undefined,
): Promise<Buffer> {
  if (length === 0) return Buffer.alloc(0);
  const buf = await read(offset, length);
  if (buf.length !== length) {
    throw corrupt(name, `unexpected EOF: read of ${length} bytes at offset ${offset} returned ${buf.length}`);
  }
  return buf;
}

export class RangeSource implements ItemSource {
  position: number;
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;

  /** `window`, when given, holds bytes already read starting at `start` (saves a read). */
  constructor(
    private readonly read: ReadAt,
    start: number,
    private readonly end: number,
    private readonly name: string | undefined,
    window?: Buffer,
  ) {
    this.position = start;
    if (window !== undefined) {
      this.window = window;
      this.windowStart = start;
    }
  }

  private async bytes(n: number): Promise<Buffer> {
    if (this.position + n > this.end) {
      throw corrupt(this.name, `unexpected EOF at offset ${this.position} (entry range ends at ${this.end})`);
    }
    const rel = this.position - this.windowStart;
    if (rel < 0 || rel + n > this.window.length) {
      const length = Math.min(Math.max(n, WINDOW), this.end - this.position);
      this.window = await readExactAt(this.read, this.position, length, this.name);
      this.windowStart = this.position;
    }
    const at = this.position - this.windowStart;
    this.position += n;
    return this.window.subarray(at, at + n);
  }

  async readHeader(): Promise<Header | null> {
    if (this.position >= this.end) return null;
    const at = this.position;
    return parseHeader(await this.bytes(HEADER_SIZE), 0, this.name, at);
  }

  readContent(n: number): Promise<Buffer> {
    return this.bytes(n);
  }
}
