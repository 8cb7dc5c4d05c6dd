/**
 * Sequential pxar decoder over byte streams: yields every entry in archive order (depth first,
 * the root directory first) with its metadata; a regular file's content is read through
 * `contents()` before the next `next()` (whatever is left unread is skipped). Memory stays
 * bounded by the largest item plus, per open directory, one small record per child (for the
 * goodbye-table check, see goodbye-check.ts).
 *
 * Format v2 (split) archives start with FORMAT_VERSION (and maybe a PRELUDE); file contents are
 * then read from the separate payload stream, which must start with PAYLOAD_START_MARKER and is
 * read strictly forward: payload references must be increasing and non-overlapping.
 */
import { AppError } from '@pbs/api-types/errors';
import { corrupt } from '../errors.js';
import {
  HEADER_SIZE,
  PXAR_ENTRY,
  PXAR_ENTRY_V1,
  PXAR_FILENAME,
  PXAR_FORMAT_VERSION,
  PXAR_GOODBYE,
  PXAR_HARDLINK,
  PXAR_PRELUDE,
  describeHeaderType,
} from '../format/constants.js';
import { readEntryBody, type EntryEnd, type ItemSource } from '../format/entry-reader.js';
import { parseFilename, parseHardlink, readU64, type Header } from '../format/parse.js';
import {
  childPath,
  entryOf,
  isDirMode,
  isFifoMode,
  isSocketMode,
  makeMetadata,
  type Entry,
  type EntryKind,
  type Metadata,
} from '../format/types.js';
import { ByteReader, itemSourceOf, type ByteSource } from './byte-reader.js';
import { DirTracker, type OpenDir } from './dir-tracker.js';
import { PayloadStream } from './payload-stream.js';

export type { ByteSource } from './byte-reader.js';

export interface DecoderOptions {
  /** Archive name for error messages ("root.pxar"). */
  name?: string;
  /** The payload stream (.ppxar) of a split archive; needed to read file contents. */
  payload?: ByteSource;
  /** Also yield `{ type: 'goodbye' }` entries when a directory ends (extraction needs them). */
  goodbyeEntries?: boolean;
  /** Check every goodbye table against the entries seen (default true). */
  verifyGoodbye?: boolean;
}

type Pending =
  | { type: 'none' }
  | { type: 'content'; remaining: number }
  /** `reader` is set once the payload stream stands at this file's content. */
  | { type: 'payload'; offset: number; size: number; remaining: number; reader: ByteReader | null };

type State = 'begin' | 'after-version' | 'after-prelude' | 'in-dir' | 'eof';

export class PxarDecoder implements AsyncIterable<Entry> {
  /** 1 until a FORMAT_VERSION item says otherwise. */
  formatVersion: 1 | 2 = 1;
  prelude: Buffer | null = null;
  private readonly name: string | undefined;
  private readonly reader: ByteReader;
  private readonly payload: PayloadStream;
  private readonly src: ItemSource;
  private goodbyeEntries: boolean;
  private readonly dirs: DirTracker;
  private state: State = 'begin';
  private peeked: { header: Header; offset: number } | null = null;
  private pending: Pending = { type: 'none' };

  constructor(source: ByteSource, opts: DecoderOptions = {}) {
    this.name = opts.name;
    this.reader = new ByteReader(source, opts.name);
    this.payload = new PayloadStream(opts.payload, opts.name);
    this.goodbyeEntries = opts.goodbyeEntries ?? false;
    this.dirs = new DirTracker(opts.name, opts.verifyGoodbye ?? true);
    this.src = itemSourceOf(this.reader, opts.name);
  }

  /** Also yield `{ type: 'goodbye' }` entries from now on (what an extractor needs). */
  enableGoodbyeEntries(on = true): void {
    this.goodbyeEntries = on;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Entry> {
    for (;;) {
      const entry = await this.next();
      if (entry === null) return;
      yield entry;
    }
  }

  /** The next entry, or null after the root directory's goodbye table. */
  async next(): Promise<Entry | null> {
    await this.finishPending();
    switch (this.state) {
      case 'eof':
        return null;
      case 'begin':
        return this.readFirst();
      case 'after-version': {
        const h = await this.requireHeader('archive root');
        if (h.htype === PXAR_PRELUDE) {
          this.prelude = Buffer.from(await this.reader.readExact(h.fullSize - HEADER_SIZE));
          this.state = 'after-prelude';
          return entryOf(Buffer.from('/'), Buffer.alloc(0), makeMetadata({ mode: 0 }), {
            type: 'prelude',
            data: this.prelude,
          });
        }
        return this.readRoot(h);
      }
      case 'after-prelude':
        return this.readRoot(await this.requireHeader('archive root'));
      case 'in-dir':
        return this.readInDirectory();
    }
  }

  private async requireHeader(where: string): Promise<Header> {
    const at = this.reader.position;
    const h = await this.src.readHeader();
    if (h === null) throw corrupt(this.name, `unexpected EOF in ${where} at offset ${at}`);
    return h;
  }

  private async readFirst(): Promise<Entry> {
    const h = await this.src.readHeader();
    if (h === null) throw corrupt(this.name, 'empty archive');
    if (h.htype !== PXAR_FORMAT_VERSION) return this.readRoot(h);
    const body = await this.reader.readExact(h.fullSize - HEADER_SIZE);
    const version = body.length === 8 ? readU64(body, 0, this.name, 'format version') : -1;
    if (version !== 1 && version !== 2) throw corrupt(this.name, `unknown format version ${version}`);
    this.formatVersion = version;
    this.state = 'after-version';
    return entryOf(Buffer.from('/'), Buffer.alloc(0), makeMetadata({ mode: 0 }), {
      type: 'version',
      version,
    });
  }

  private async readRoot(h: Header): Promise<Entry> {
    if (h.htype !== PXAR_ENTRY && h.htype !== PXAR_ENTRY_V1) {
      throw corrupt(
        this.name,
        `bad magic: expected pxar entry of type 'Entry', got ${describeHeaderType(h.htype)}`,
      );
    }
    const { metadata, end } = await readEntryBody(this.src, h, this.name, false);
    if (end.type !== 'next' || !isDirMode(metadata.stat.mode)) {
      throw corrupt(this.name, 'pxar archive does not start with a directory entry');
    }
    this.peeked = { header: end.header, offset: end.headerOffset };
    const rawPath = Buffer.from('/');
    // pxar's root state keeps entry_offset 0, also when FORMAT_VERSION precedes the root ENTRY
    this.dirs.enter(rawPath, Buffer.alloc(0), 0, -1);
    this.state = 'in-dir';
    return entryOf(rawPath, Buffer.alloc(0), metadata, { type: 'directory' });
  }

  private async readInDirectory(): Promise<Entry | null> {
    for (;;) {
      const next = this.peeked ?? {
        offset: this.reader.position,
        header: await this.requireHeader('directory'),
      };
      this.peeked = null;
      if (next.header.htype === PXAR_FILENAME) {
        const name = Buffer.from(
          parseFilename(await this.reader.readExact(next.header.fullSize - HEADER_SIZE), this.name),
        );
        return this.readChild(name, next.offset);
      }
      if (next.header.htype !== PXAR_GOODBYE) {
        throw corrupt(
          this.name,
          `expected filename or directory-goodbye pxar entry, got: ${describeHeaderType(next.header.htype)} at offset ${next.offset}`,
        );
      }
      const dir = await this.leaveDirectory(next.header, next.offset);
      if (this.goodbyeEntries) {
        return entryOf(dir.rawPath, dir.fileName, makeMetadata({ mode: 0 }), { type: 'goodbye' });
      }
      if (this.state === 'eof') return null;
    }
  }

  private async leaveDirectory(h: Header, offset: number): Promise<OpenDir> {
    const table = await this.reader.readExact(h.fullSize - HEADER_SIZE);
    const dir = this.dirs.leave(table, offset, this.reader.position);
    if (this.dirs.depth === 0) {
      this.state = 'eof';
      if (!(await this.reader.atEnd())) {
        throw corrupt(this.name, `trailing data after the root directory at offset ${this.reader.position}`);
      }
    }
    return dir;
  }

  private async readChild(fileName: Buffer, filenameOffset: number): Promise<Entry> {
    const rawPath = childPath(this.dirs.top().rawPath, fileName);
    const entryOffset = this.reader.position;
    const h = await this.requireHeader('entry');
    const record = (size: number, alt = -1): void => this.dirs.child(fileName, filenameOffset, size, alt);
    if (h.htype === PXAR_HARDLINK) {
      const link = parseHardlink(await this.reader.readExact(h.fullSize - HEADER_SIZE), this.name);
      record(this.reader.position - filenameOffset);
      return entryOf(rawPath, fileName, makeMetadata({ mode: 0 }), { type: 'hardlink', ...link });
    }
    if (h.htype !== PXAR_ENTRY && h.htype !== PXAR_ENTRY_V1) {
      throw corrupt(
        this.name,
        `expected pxar entry of type 'Entry', got ${describeHeaderType(h.htype)} at offset ${entryOffset}`,
      );
    }
    const { metadata, end } = await readEntryBody(this.src, h, this.name, false);
    const kind = this.entryKind(end, metadata, rawPath);
    if (kind.type === 'directory') {
      this.dirs.enter(rawPath, fileName, entryOffset, filenameOffset);
    } else if (end.type === 'payload') {
      record(end.contentOffset - filenameOffset + end.size);
    } else if (end.type === 'payload-ref') {
      const metaSize = this.reader.position - filenameOffset;
      record(metaSize, metaSize + end.size);
    } else {
      record((end.type === 'next' ? end.headerOffset : this.reader.position) - filenameOffset);
    }
    return entryOf(rawPath, fileName, metadata, kind);
  }

  private entryKind(end: EntryEnd, metadata: Metadata, rawPath: Buffer): EntryKind {
    switch (end.type) {
      case 'payload':
        this.pending = { type: 'content', remaining: end.size };
        return { type: 'file', size: end.size, contentOffset: end.contentOffset, payloadOffset: null };
      case 'payload-ref':
        this.payload.checkRef(end.offset, end.size, rawPath.toString('utf8'), this.formatVersion);
        this.pending = {
          type: 'payload',
          offset: end.offset,
          size: end.size,
          remaining: end.size,
          reader: null,
        };
        return { type: 'file', size: end.size, contentOffset: end.itemOffset, payloadOffset: end.offset };
      case 'symlink':
        return { type: 'symlink', target: end.target };
      case 'device':
        return { type: 'device', device: end.device };
      case 'next':
        this.peeked = { header: end.header, offset: end.headerOffset };
        if (isFifoMode(metadata.stat.mode)) return { type: 'fifo' };
        if (isSocketMode(metadata.stat.mode)) return { type: 'socket' };
        if (!isDirMode(metadata.stat.mode)) {
          throw corrupt(this.name, `entry ${JSON.stringify(rawPath.toString('utf8'))} has no content item`);
        }
        return { type: 'directory' };
      case 'eof':
        throw corrupt(this.name, 'unexpected EOF in entry');
    }
  }

  /** Skips whatever the caller left unread of the previous entry's content. */
  private async finishPending(): Promise<void> {
    const p = this.pending;
    this.pending = { type: 'none' };
    if (p.type === 'content' && p.remaining > 0) await this.reader.skip(p.remaining);
  }

  /** Size of the current file's content, or null when the current entry is not a file. */
  get contentSize(): number | null {
    const p = this.pending;
    return p.type === 'content' ? p.remaining : p.type === 'payload' ? p.size : null;
  }

  /**
   * The content of the file entry last returned by `next()`, as a stream of Buffers (views into
   * the source chunks; copy what you keep past the next read). Valid until the next `next()`.
   */
  contents(): AsyncGenerator<Buffer, void, undefined> {
    const p = this.pending; // bound now: a stream obtained before next() must not read on
    if (p.type === 'none')
      throw new AppError('INVALID_ARGUMENT', 'pxar decoder: the current entry is not a regular file');
    return this.streamContents(p);
  }

  private async *streamContents(
    p: Exclude<Pending, { type: 'none' }>,
  ): AsyncGenerator<Buffer, void, undefined> {
    let reader = this.reader;
    if (p.type === 'payload') reader = p.reader ??= await this.payload.open(p.offset, p.size);
    const where = p.type === 'content' ? 'file content' : 'payload stream (file content)';
    while (p.remaining > 0) {
      if (this.pending !== p)
        throw new AppError('INVALID_ARGUMENT', 'pxar decoder: contents read after next()');
      const chunk = await reader.readUpTo(p.remaining);
      if (chunk === null) throw corrupt(this.name, `unexpected EOF in ${where} at offset ${reader.position}`);
      p.remaining -= chunk.length;
      yield chunk;
    }
  }

  /** The whole content of the current file in one Buffer (for small files). */
  async readContents(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of this.contents()) parts.push(Buffer.from(chunk));
    return Buffer.concat(parts);
  }
}
