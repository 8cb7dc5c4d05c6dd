/**
 * Random access to a pxar archive through a `(offset, length) → Buffer` read function (for
 * browsing a .didx-backed archive without reading it whole): look entries up by path through the
 * goodbye tables (name hash + binary search), list directories, read file contents, follow
 * hardlinks. Split archives take the payload stream as a second read function; metadata-only
 * browsing works without it.
 */
import { AppError } from '@pbs/api-types/errors';
import { corrupt } from '../errors.js';
import {
  HEADER_SIZE,
  PXAR_FORMAT_VERSION,
  PXAR_PAYLOAD,
  PXAR_PAYLOAD_START_MARKER,
  describeHeaderType,
} from '../format/constants.js';
import { binaryTreeSearch } from '../format/binary-tree.js';
import { parseHeader, readU64 } from '../format/parse.js';
import { hashFilename } from '../format/siphash.js';
import { childPath, type Entry } from '../format/types.js';
import {
  decodeEntryAt,
  readDirectoryTable,
  readFilenameAt,
  type ArchiveInput,
  type DirectoryTable,
  type GoodbyeItem,
} from './entry-at.js';
import { readExactAt, type ReadAt } from './range-source.js';

export type { ReadAt } from './range-source.js';

export interface AccessorOptions {
  name?: string;
  /** The payload stream (.ppxar) of a split archive. */
  payload?: { read: ReadAt; size: number };
}

const SLASH = Buffer.from('/');
const READ_BLOCK = 1024 * 1024;

function components(path: string | Buffer): Buffer[] {
  const raw = typeof path === 'string' ? Buffer.from(path, 'utf8') : path;
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= raw.length; i++) {
    if (i === raw.length || raw[i] === 0x2f) {
      const part = raw.subarray(start, i);
      start = i + 1;
      if (part.length === 0 || (part.length === 1 && part[0] === 0x2e)) continue;
      if (part.length === 2 && part[0] === 0x2e && part[1] === 0x2e) {
        throw new AppError('INVALID_ARGUMENT', 'cannot enter parent directory in archive');
      }
      out.push(part);
    }
  }
  return out;
}

export class PxarAccessor {
  private constructor(private readonly input: ArchiveInput) {}

  /** Opens an archive of `size` bytes; checks the first header (and the payload start marker). */
  static async open(read: ReadAt, size: number, opts: AccessorOptions = {}): Promise<PxarAccessor> {
    const name = opts.name;
    if (size < 24) throw corrupt(name, 'too small to contain a pxar archive');
    const head = await readExactAt(read, 0, 24, name);
    const header = parseHeader(head, 0, name, 0);
    let formatVersion: 1 | 2 = 1;
    if (header.htype === PXAR_FORMAT_VERSION) {
      const version = readU64(head, 16, name, 'format version');
      if (version !== 1 && version !== 2) throw corrupt(name, `unknown format version ${version}`);
      formatVersion = version;
    }
    if (opts.payload !== undefined) {
      const p = parseHeader(await readExactAt(opts.payload.read, 0, HEADER_SIZE, name), 0, name, 0);
      if (p.htype !== PXAR_PAYLOAD_START_MARKER) {
        throw corrupt(
          name,
          `unexpected header in payload input: expected PAYLOAD_START_MARKER, got ${describeHeaderType(p.htype)}`,
        );
      }
    }
    return new PxarAccessor({ read, size, name, formatVersion, payload: opts.payload ?? null });
  }

  get formatVersion(): 1 | 2 {
    return this.input.formatVersion;
  }

  async openRoot(): Promise<PxarDirectory> {
    return PxarDirectory.openAtEnd(this.input, this.input.size, Buffer.from('/'));
  }

  /** The entry at an archive path ("/", "/sub/x.txt", "sub/x.txt"), or null. */
  async lookup(path: string | Buffer): Promise<PxarFileEntry | null> {
    const parts = components(path);
    let dir = await this.openRoot();
    if (parts.length === 0) return dir.lookupSelf();
    for (let i = 0; i < parts.length; i++) {
      const entry = await dir.lookup(parts[i] as Buffer);
      if (entry === null) return null;
      if (i === parts.length - 1) return entry;
      if (entry.entry.kind.type !== 'directory') return null;
      dir = await entry.enterDirectory();
    }
    return null;
  }

  /** The entries of the directory at `path`, in archive (name) order, with their metadata. */
  async listDirectory(path: string | Buffer): Promise<PxarFileEntry[]> {
    const entry = await this.lookup(path);
    if (entry === null)
      throw new AppError('NOT_FOUND', `path ${JSON.stringify(String(path))} not found in archive`);
    const dir = await entry.enterDirectory();
    const out: PxarFileEntry[] = [];
    for await (const child of dir.entries()) out.push(await child.decode());
    return out;
  }
}

export class PxarDirectory {
  private constructor(
    private readonly input: ArchiveInput,
    readonly rawPath: Buffer,
    private readonly table: DirectoryTable,
  ) {}

  static async openAtEnd(input: ArchiveInput, end: number, rawPath: Buffer): Promise<PxarDirectory> {
    return new PxarDirectory(input, rawPath, await readDirectoryTable(input, end));
  }

  get entryCount(): number {
    return this.table.items.length;
  }

  /** The directory's own entry (metadata). */
  async lookupSelf(): Promise<PxarFileEntry> {
    const t = this.table;
    const fileName =
      this.rawPath.length === 1
        ? Buffer.alloc(0)
        : Buffer.from(this.rawPath.subarray(this.rawPath.lastIndexOf(0x2f) + 1));
    const entry = await decodeEntryAt(this.input, t.entryOffset, t.goodbyeOffset, this.rawPath, fileName);
    if (entry.kind.type !== 'directory')
      throw corrupt(this.input.name, 'directory does not seem to be a directory');
    return new PxarFileEntry(this.input, entry, null, t.entryOffset, t.endOffset);
  }

  /** A direct child by name, or null. Hash collisions are resolved by comparing names. */
  async lookup(name: Buffer | string): Promise<PxarFileEntry | null> {
    const bytes = typeof name === 'string' ? Buffer.from(name, 'utf8') : name;
    const hash = hashFilename(bytes);
    const cmp = (item: GoodbyeItem): number => (hash < item.hash ? -1 : hash > item.hash ? 1 : 0);
    const first = binaryTreeSearch(this.table.items, 0, 0, cmp);
    if (first === null) return null;
    for (let dup = 0; ; dup++) {
      const index = binaryTreeSearch(this.table.items, first, dup, cmp);
      if (index === null) return null;
      const child = await this.child(this.table.items[index] as GoodbyeItem);
      if (child.fileName.equals(bytes)) return child.decode();
    }
  }

  private async child(item: GoodbyeItem): Promise<PxarDirEntry> {
    if (item.filenameOffset >= this.table.goodbyeOffset) {
      throw corrupt(this.input.name, `bad goodbye item: offset ${item.filenameOffset} is past the directory`);
    }
    const end = Math.min(item.filenameOffset + item.size, this.input.size);
    const { fileName, next, window } = await readFilenameAt(this.input, item.filenameOffset, end);
    if (end < next) {
      throw corrupt(
        this.input.name,
        `bad file: invalid entry ranges for ${JSON.stringify(fileName.toString('utf8'))}`,
      );
    }
    return new PxarDirEntry(
      this.input,
      childPath(this.rawPath, fileName),
      fileName,
      item.filenameOffset,
      next,
      end,
      window,
    );
  }

  /** The children in archive (name) order. */
  async *entries(): AsyncGenerator<PxarDirEntry> {
    const items = this.table.items.slice().sort((a, b) => a.filenameOffset - b.filenameOffset);
    for (const item of items) yield await this.child(item);
  }
}

/** A child found in a goodbye table; `decode()` reads its metadata. */
export class PxarDirEntry {
  constructor(
    private readonly input: ArchiveInput,
    readonly rawPath: Buffer,
    readonly fileName: Buffer,
    readonly filenameOffset: number,
    private readonly entryStart: number,
    private readonly entryEnd: number,
    private readonly window: Buffer,
  ) {}

  async decode(): Promise<PxarFileEntry> {
    const entry = await decodeEntryAt(
      this.input,
      this.entryStart,
      this.entryEnd,
      this.rawPath,
      this.fileName,
      this.window,
    );
    return new PxarFileEntry(this.input, entry, this.filenameOffset, this.entryStart, this.entryEnd);
  }
}

export class PxarFileEntry {
  constructor(
    private readonly input: ArchiveInput,
    readonly entry: Entry,
    /** Offset of the FILENAME item (null for the root). */
    readonly filenameOffset: number | null,
    readonly entryStart: number,
    readonly entryEnd: number,
  ) {}

  async enterDirectory(): Promise<PxarDirectory> {
    if (this.entry.kind.type !== 'directory') {
      throw new AppError('INVALID_ARGUMENT', `${JSON.stringify(this.entry.path)} is not a directory`);
    }
    return PxarDirectory.openAtEnd(this.input, this.entryEnd, this.entry.rawPath);
  }

  /** Where the content lies: which stream and the byte range. */
  private async contentRange(): Promise<{ read: ReadAt; start: number; size: number }> {
    const kind = this.entry.kind;
    const name = this.input.name;
    if (kind.type !== 'file')
      throw new AppError('INVALID_ARGUMENT', `${JSON.stringify(this.entry.path)} is not a regular file`);
    if (kind.payloadOffset === null) {
      const start = kind.contentOffset ?? 0;
      if (start + kind.size > this.input.size)
        throw corrupt(name, `content of ${JSON.stringify(this.entry.path)} out of range`);
      return { read: this.input.read, start, size: kind.size };
    }
    const payload = this.input.payload;
    if (payload === null)
      throw new AppError(
        'INVALID_ARGUMENT',
        `${name ?? 'pxar archive'}: split archive: file contents need the payload stream`,
      );
    if (kind.payloadOffset + HEADER_SIZE + kind.size > payload.size) {
      throw corrupt(
        name,
        `bad payload ref of ${JSON.stringify(this.entry.path)}: out of range for the payload stream`,
      );
    }
    const raw = await readExactAt(payload.read, kind.payloadOffset, HEADER_SIZE, name);
    // type before size: a reference into the middle of data finds garbage, not a header
    if (
      raw.readBigUInt64LE(0) !== PXAR_PAYLOAD ||
      raw.readBigUInt64LE(8) !== BigInt(kind.size + HEADER_SIZE)
    ) {
      throw corrupt(
        name,
        `bad payload ref of ${JSON.stringify(this.entry.path)}: no PAYLOAD of ${kind.size} bytes at ${kind.payloadOffset}`,
      );
    }
    return { read: payload.read, start: kind.payloadOffset + HEADER_SIZE, size: kind.size };
  }

  /** The file content in blocks of up to 1 MiB. */
  async *contents(): AsyncGenerator<Buffer> {
    const { read, start, size } = await this.contentRange();
    for (let at = 0; at < size; at += READ_BLOCK) {
      yield await readExactAt(read, start + at, Math.min(READ_BLOCK, size - at), this.input.name);
    }
  }

  /** Up to `length` bytes at `offset` of the content (shorter at the end of the file). */
  async read(offset: number, length: number): Promise<Buffer> {
    const { read, start, size } = await this.contentRange();
    const n = Math.max(0, Math.min(length, size - offset));
    return readExactAt(read, start + offset, n, this.input.name);
  }

  /** The file a hardlink entry points to. */
  async followHardlink(): Promise<PxarFileEntry> {
    const kind = this.entry.kind;
    if (kind.type !== 'hardlink') throw new AppError('INVALID_ARGUMENT', 'cannot resolve a non-hardlink');
    if (this.filenameOffset === null || kind.offset > this.filenameOffset)
      throw corrupt(this.input.name, 'invalid offset in hardlink');
    const targetOffset = this.filenameOffset - kind.offset;
    const { fileName, next, window } = await readFilenameAt(this.input, targetOffset);
    const rawPath = Buffer.concat([SLASH, kind.target]);
    const entry = await decodeEntryAt(this.input, next, this.input.size, rawPath, fileName, window);
    if (entry.kind.type !== 'file')
      throw corrupt(this.input.name, 'hardlink does not point to a regular file');
    return new PxarFileEntry(this.input, entry, targetOffset, next, this.input.size);
  }
}
