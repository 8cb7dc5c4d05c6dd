/**
 * Decoding a single entry of a random-access archive from its byte range, and reading a
 * directory's goodbye table from the directory's end offset (pxar accessor `open_at_end`).
 */
import { corrupt } from '../errors.js';
import {
  GOODBYE_ITEM_SIZE,
  HEADER_SIZE,
  PXAR_ENTRY,
  PXAR_ENTRY_V1,
  PXAR_FILENAME,
  PXAR_FORMAT_VERSION,
  PXAR_GOODBYE,
  PXAR_GOODBYE_TAIL_MARKER,
  PXAR_HARDLINK,
  PXAR_PRELUDE,
  describeHeaderType,
} from '../format/constants.js';
import { readEntryBody } from '../format/entry-reader.js';
import { parseFilename, parseHardlink, parseHeader, readU64 } from '../format/parse.js';
import { isFifoMode, isSocketMode, makeMetadata, type Entry, type EntryKind } from '../format/types.js';
import { RangeSource, readExactAt, type ReadAt } from './range-source.js';

export interface ArchiveInput {
  read: ReadAt;
  size: number;
  name: string | undefined;
  formatVersion: 1 | 2;
  payload: { read: ReadAt; size: number } | null;
}

export interface GoodbyeItem {
  hash: bigint;
  /** Absolute offset of the child's FILENAME. */
  filenameOffset: number;
  size: number;
}

export interface DirectoryTable {
  entryOffset: number;
  goodbyeOffset: number;
  endOffset: number;
  items: GoodbyeItem[];
}

const TAIL_READ = 4096;
const NAME_READ = 4096;

/** Reads and checks the goodbye table of the directory that ends at `end` (usually one read). */
export async function readDirectoryTable(input: ArchiveInput, end: number): Promise<DirectoryTable> {
  const name = input.name;
  const fail = (detail: string): Error =>
    corrupt(name, `bad goodbye table of the directory ending at ${end}: ${detail}`);
  if (end < GOODBYE_ITEM_SIZE || end > input.size) throw fail('goodbye tail does not fit');
  const lastLength = Math.min(end, TAIL_READ);
  let last = await readExactAt(input.read, end - lastLength, lastLength, name);
  const tail = last.subarray(last.length - GOODBYE_ITEM_SIZE);
  if (tail.readBigUInt64LE(0) !== PXAR_GOODBYE_TAIL_MARKER) throw fail('no goodbye tail marker found');
  const tailOffset = readU64(tail, 8, name, 'goodbye tail offset');
  const tableSize = readU64(tail, 16, name, 'goodbye tail size');
  if (tableSize > end || tableSize < HEADER_SIZE + GOODBYE_ITEM_SIZE)
    throw fail('goodbye tail size out of range');
  const goodbyeOffset = end - tableSize;
  if (goodbyeOffset < tailOffset) throw fail('goodbye offset out of range');
  if ((tableSize - HEADER_SIZE) % GOODBYE_ITEM_SIZE !== 0)
    throw fail(`invalid goodbye table size: ${tableSize}`);
  if (tableSize > last.length) last = await readExactAt(input.read, goodbyeOffset, tableSize, name);
  const raw = last.subarray(last.length - tableSize, last.length - GOODBYE_ITEM_SIZE);
  const header = parseHeader(raw, 0, name, goodbyeOffset);
  if (header.htype !== PXAR_GOODBYE || header.fullSize !== tableSize)
    throw fail('no GOODBYE header at the table start');
  const items: GoodbyeItem[] = [];
  for (let at = HEADER_SIZE; at < raw.length; at += GOODBYE_ITEM_SIZE) {
    const rel = readU64(raw, at + 8, name, 'goodbye item offset');
    if (rel > goodbyeOffset) throw fail('invalid file offset');
    items.push({
      hash: raw.readBigUInt64LE(at),
      filenameOffset: goodbyeOffset - rel,
      size: readU64(raw, at + 16, name, 'goodbye item size'),
    });
  }
  return { entryOffset: goodbyeOffset - tailOffset, goodbyeOffset, endOffset: end, items };
}

export interface FilenameAt {
  fileName: Buffer;
  /** Offset of the item after the FILENAME. */
  next: number;
  /** Bytes read from `next` on (seed for decoding the entry without another read). */
  window: Buffer;
}

/** Reads the FILENAME at `offset` and some bytes after it; `limit` bounds the read. */
export async function readFilenameAt(
  input: ArchiveInput,
  offset: number,
  limit = input.size,
): Promise<FilenameAt> {
  const length = Math.min(NAME_READ, limit - offset);
  if (length < HEADER_SIZE) throw corrupt(input.name, `FILENAME at offset ${offset} out of range`);
  let buf = await readExactAt(input.read, offset, length, input.name);
  const head = parseHeader(buf, 0, input.name, offset);
  if (head.htype !== PXAR_FILENAME) {
    throw corrupt(
      input.name,
      `expected PXAR_FILENAME header at offset ${offset}, found: ${describeHeaderType(head.htype)}`,
    );
  }
  if (head.fullSize > buf.length) buf = await readExactAt(input.read, offset, head.fullSize, input.name);
  const fileName = Buffer.from(parseFilename(buf.subarray(HEADER_SIZE, head.fullSize), input.name));
  return { fileName, next: offset + head.fullSize, window: buf.subarray(head.fullSize) };
}

/**
 * Decodes the entry whose items start at `start` (an ENTRY or HARDLINK header, or the archive's
 * FORMAT_VERSION/PRELUDE for the root) and lie before `end`.
 */
export async function decodeEntryAt(
  input: ArchiveInput,
  start: number,
  end: number,
  rawPath: Buffer,
  fileName: Buffer,
  window?: Buffer,
): Promise<Entry> {
  const name = input.name;
  const src = new RangeSource(input.read, start, end, name, window);
  let h = await src.readHeader();
  while (h !== null && (h.htype === PXAR_FORMAT_VERSION || h.htype === PXAR_PRELUDE)) {
    await src.readContent(h.fullSize - HEADER_SIZE);
    h = await src.readHeader();
  }
  if (h === null) throw corrupt(name, `unexpected EOF while decoding the entry at offset ${start}`);
  const entry = (metadata: Entry['metadata'], kind: EntryKind): Entry => ({
    rawPath,
    path: rawPath.toString('utf8'),
    fileName,
    metadata,
    kind,
  });
  if (h.htype === PXAR_HARDLINK) {
    const link = parseHardlink(await src.readContent(h.fullSize - HEADER_SIZE), name);
    return entry(makeMetadata({ mode: 0 }), { type: 'hardlink', ...link });
  }
  if (h.htype !== PXAR_ENTRY && h.htype !== PXAR_ENTRY_V1) {
    throw corrupt(
      name,
      `expected pxar entry of type 'Entry' at offset ${start}, got ${describeHeaderType(h.htype)}`,
    );
  }
  const { metadata, end: last } = await readEntryBody(src, h, name, true);
  switch (last.type) {
    case 'payload':
      return entry(metadata, {
        type: 'file',
        size: last.size,
        contentOffset: last.contentOffset,
        payloadOffset: null,
      });
    case 'payload-ref':
      if (input.formatVersion !== 2)
        throw corrupt(name, 'bad payload ref: payload reference in a format version 1 archive');
      return entry(metadata, {
        type: 'file',
        size: last.size,
        contentOffset: last.itemOffset,
        payloadOffset: last.offset,
      });
    case 'symlink':
      return entry(metadata, { type: 'symlink', target: last.target });
    case 'device':
      return entry(metadata, { type: 'device', device: last.device });
    case 'next':
    case 'eof':
      if (isFifoMode(metadata.stat.mode)) return entry(metadata, { type: 'fifo' });
      if (isSocketMode(metadata.stat.mode)) return entry(metadata, { type: 'socket' });
      return entry(metadata, { type: 'directory' });
  }
}
