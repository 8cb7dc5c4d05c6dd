/**
 * Catalog (`.pcat1`) reader over a random-access read function (a .didx-backed catalog is read
 * a directory table at a time): the root from the trailing offset, directory listings, lookups by
 * path and a depth-first walk — what a file browser needs (name, type, size, mtime).
 */
import { AppError } from '@pbs/api-types/errors';
import { readExactAt, type ReadAt } from '../accessor/range-source.js';
import { decodeI64, decodeU64, type Cursor } from './varint.js';
import { PROXMOX_CATALOG_FILE_MAGIC_1_0, type CatalogEntryType } from './writer.js';

export interface CatalogEntry {
  name: Buffer;
  type: CatalogEntryType;
  /** Directories: absolute offset of the directory's table. */
  start?: number;
  /** Regular files: size in bytes. */
  size?: number;
  /** Regular files: mtime in seconds since the epoch. */
  mtime?: number;
}

const TYPES = new Set<string>(['d', 'f', 'l', 'h', 'b', 'c', 'p', 's']);
const FIRST_READ = 4096;

export class CatalogReader {
  private constructor(
    private readonly read: ReadAt,
    private readonly size: number,
    private readonly name: string | undefined,
    private readonly rootStart: number,
  ) {}

  static async open(read: ReadAt, size: number, opts: { name?: string } = {}): Promise<CatalogReader> {
    const name = opts.name ?? 'catalog';
    const label = (detail: string): Error => new AppError('CORRUPT_DATA', `catalog '${name}': ${detail}`);
    if (size < 16) throw label('too small to be a catalog');
    const magic = await readExactAt(read, 0, 8, name);
    if (!magic.equals(PROXMOX_CATALOG_FILE_MAGIC_1_0)) throw label('got unexpected magic number for catalog');
    const tail = await readExactAt(read, size - 8, 8, name);
    const start = Number(tail.readBigUInt64LE(0));
    if (start < 8 || start >= size - 8) throw label(`root table offset ${start} out of range`);
    return new CatalogReader(read, size, name, start);
  }

  private fail(detail: string): AppError {
    return new AppError('CORRUPT_DATA', `catalog '${this.name ?? 'catalog'}': ${detail}`);
  }

  /** The root directory (it holds one directory entry per archive, e.g. "root.pxar.didx"). */
  root(): CatalogEntry {
    return { name: Buffer.alloc(0), type: 'd', start: this.rootStart };
  }

  private async table(start: number): Promise<Cursor> {
    const first = await readExactAt(this.read, start, Math.min(FIRST_READ, this.size - start), this.name);
    const head: Cursor = { buf: first, pos: 0 };
    let length: number;
    try {
      length = decodeU64(head);
    } catch (err) {
      throw this.fail(`directory table at ${start}: ${(err as Error).message}`);
    }
    if (length < 1 || start + head.pos + length > this.size)
      throw this.fail(`bad directory size ${length} at ${start}`);
    const data =
      head.pos + length <= first.length
        ? first.subarray(head.pos, head.pos + length)
        : await readExactAt(this.read, start + head.pos, length, this.name);
    return { buf: data, pos: 0 };
  }

  /** The entries of a directory in archive order. */
  async readDir(dir: CatalogEntry): Promise<CatalogEntry[]> {
    if (dir.type !== 'd' || dir.start === undefined)
      throw new AppError('INVALID_ARGUMENT', 'catalog: not a directory');
    const start = dir.start;
    const c = await this.table(start);
    try {
      const count = decodeU64(c);
      const out: CatalogEntry[] = [];
      for (let i = 0; i < count; i++) out.push(this.entry(c, start));
      if (c.pos !== c.buf.length) throw new Error('unable to parse whole catalog data block');
      return out;
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw this.fail(`directory table at ${start}: ${(err as Error).message}`);
    }
  }

  private entry(c: Cursor, start: number): CatalogEntry {
    if (c.pos >= c.buf.length) throw new Error('unexpected end of directory table');
    const type = String.fromCharCode(c.buf[c.pos++] as number);
    if (!TYPES.has(type)) throw new Error(`invalid CatalogEntryType value '${type}'`);
    const nameLength = decodeU64(c);
    if (nameLength >= 4096 || c.pos + nameLength > c.buf.length)
      throw new Error(`directory entry name too long (${nameLength})`);
    const name = Buffer.from(c.buf.subarray(c.pos, c.pos + nameLength));
    c.pos += nameLength;
    const entry: CatalogEntry = { name, type: type as CatalogEntryType };
    if (type === 'd') {
      const offset = decodeU64(c);
      if (offset <= 0 || offset > start - 8)
        throw this.fail(`directory ${JSON.stringify(name.toString())} has offset ${offset} out of range`);
      entry.start = start - offset;
    } else if (type === 'f') {
      entry.size = decodeU64(c);
      entry.mtime = decodeI64(c);
    }
    return entry;
  }

  /** A child of `dir` by name, or null. */
  async lookup(dir: CatalogEntry, name: Buffer | string): Promise<CatalogEntry | null> {
    const bytes = typeof name === 'string' ? Buffer.from(name, 'utf8') : name;
    return (await this.readDir(dir)).find((e) => e.name.equals(bytes)) ?? null;
  }

  /** The entry at an absolute path ("/", "/root.pxar.didx/sub"), or null. */
  async lookupPath(path: string | Buffer): Promise<CatalogEntry | null> {
    const raw = typeof path === 'string' ? Buffer.from(path, 'utf8') : path;
    let current = this.root();
    for (const part of raw.toString('latin1').split('/')) {
      if (part === '') continue;
      if (current.type !== 'd') return null;
      const next = await this.lookup(current, Buffer.from(part, 'latin1'));
      if (next === null) return null;
      current = next;
    }
    return current;
  }

  /** Every entry below `dir` depth first, with its absolute path ("/root.pxar.didx/sub/x.txt"). */
  async *walk(dir: CatalogEntry = this.root(), prefix = ''): AsyncGenerator<CatalogEntry & { path: string }> {
    for (const entry of await this.readDir(dir)) {
      const path = `${prefix}/${entry.name.toString('utf8')}`;
      yield { ...entry, path };
      if (entry.type === 'd') yield* this.walk(entry, path);
    }
  }
}
