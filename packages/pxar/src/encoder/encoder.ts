/**
 * The pxar encoder: entries in archive order in, archive bytes out, exactly as pxar's
 * `EncoderImpl` writes them (format v1 unified, or v2 split into a metadata and a payload sink).
 *
 * Byte-compatibility notes (facts of pxar 1.0, reproduced on purpose):
 * - The root directory's goodbye tail points at offset 0 (pxar's default `entry_offset`), which
 *   in a v2 archive is the FORMAT_VERSION item, not the root ENTRY.
 * - In a v2 archive a re-encoded file's goodbye item size still adds the file size although the
 *   content went to the payload stream; a payload reference to reused data (`addPayloadRef`)
 *   does not.
 * - Goodbye items are sorted by name hash and permuted into pxar's binary-tree order.
 */
import { invalid, showBytes } from '../errors.js';
import {
  FORMAT_VERSION_2,
  HEADER_SIZE,
  PXAR_FORMAT_VERSION,
  PXAR_PAYLOAD,
  PXAR_PAYLOAD_START_MARKER,
  PXAR_PAYLOAD_TAIL_MARKER,
  PXAR_PRELUDE,
} from '../format/constants.js';
import { entryItems, headerOnly, item, writeU64, type Trailer } from '../format/items.js';
import { filenameProblem } from '../format/parse.js';
import { hashFilename } from '../format/siphash.js';
import {
  isDeviceMode,
  isDirMode,
  isFifoMode,
  isSocketMode,
  type Device,
  type Metadata,
} from '../format/types.js';
import { goodbyeTable, type GoodbyeItem } from './goodbye.js';
import { Output, type Sink } from './output.js';

export type { Sink } from './output.js';

/** Archive offset of a file's FILENAME, returned for later hardlinks to it. */
export type LinkOffset = number;

export interface EncoderOptions {
  /** Payload sink: makes a v2 split archive (this sink receives the .ppxar stream). */
  payloadSink?: Sink;
  /** v2 only: the prelude blob written right after the format version (PBS: exclude patterns). */
  prelude?: Uint8Array;
  /** Batch size for small items before they reach a sink (default 64 KiB). */
  batchSize?: number;
}

interface DirState {
  items: GoodbyeItem[];
  /** Offset of this directory's ENTRY (0 for the root, see the header). */
  entryOffset: number;
  /** Offset of this directory's FILENAME; null for the root. */
  fileOffset: number | null;
  fileHash: bigint;
}

interface OpenFile {
  remaining: number;
  size: number;
  item: GoodbyeItem;
}

type Name = Uint8Array | string;

function nameBytes(name: Name): Buffer {
  const bytes =
    typeof name === 'string'
      ? Buffer.from(name, 'utf8')
      : Buffer.from(name.buffer, name.byteOffset, name.length);
  const problem = filenameProblem(bytes);
  if (problem !== null) throw invalid(`${problem}: ${showBytes(bytes)}`);
  return bytes;
}

function pathBytes(path: Name): Buffer {
  return typeof path === 'string'
    ? Buffer.from(path, 'utf8')
    : Buffer.from(path.buffer, path.byteOffset, path.length);
}

export class PxarEncoder {
  private readonly out: Output;
  private readonly payload: Output | null;
  private readonly stack: DirState[] = [];
  private file: OpenFile | null = null;
  private closed = false;

  private constructor(sink: Sink, opts: EncoderOptions) {
    this.out = new Output(sink, opts.batchSize);
    this.payload = opts.payloadSink ? new Output(opts.payloadSink, opts.batchSize) : null;
  }

  /** Starts an archive whose root directory has `rootMetadata`. */
  static async create(sink: Sink, rootMetadata: Metadata, opts: EncoderOptions = {}): Promise<PxarEncoder> {
    if (!isDirMode(rootMetadata.stat.mode))
      throw invalid('directory metadata must contain the directory mode flag');
    const enc = new PxarEncoder(sink, opts);
    if (enc.payload !== null) {
      await enc.payload.write(headerOnly(PXAR_PAYLOAD_START_MARKER, 0));
      const version = Buffer.alloc(8);
      writeU64(version, FORMAT_VERSION_2, 0);
      await enc.out.write(item(PXAR_FORMAT_VERSION, version));
      if (opts.prelude) await enc.out.write(item(PXAR_PRELUDE, opts.prelude));
    } else if (opts.prelude) {
      throw invalid('encoding prelude not supported in format version 1');
    }
    await enc.out.write(entryItems(null, rootMetadata, { type: 'none' }));
    enc.stack.push({ items: [], entryOffset: 0, fileOffset: null, fileHash: 0n });
    return enc;
  }

  /** 1 for a unified archive, 2 for a split one. */
  get formatVersion(): 1 | 2 {
    return this.payload === null ? 1 : 2;
  }

  /** Bytes written to the archive (metadata) stream so far. */
  get position(): number {
    return this.out.position;
  }

  /** Bytes of the payload stream so far (0 for v1), including any `advancePayload`. */
  get payloadPosition(): number {
    return this.payload === null ? 0 : this.payload.position;
  }

  /** Nesting depth of open directories (1 = inside the root). */
  get depth(): number {
    return this.stack.length;
  }

  private current(): DirState {
    if (this.closed) throw invalid('unexpected encoder finished state');
    if (this.file !== null) throw invalid('incomplete file: finish writing the current file first');
    const state = this.stack[this.stack.length - 1];
    if (state === undefined) throw invalid('encoder state stack underflow (root already finished)');
    return state;
  }

  private async addEntry(name: Name, meta: Metadata | null, trailer: Trailer): Promise<LinkOffset> {
    const state = this.current();
    const bytes = nameBytes(name);
    const fileOffset = this.out.position;
    await this.out.write(entryItems(bytes, meta, trailer));
    state.items.push({ hash: hashFilename(bytes), offset: fileOffset, size: this.out.position - fileOffset });
    return fileOffset;
  }

  /**
   * Starts a regular file of exactly `size` bytes; stream its content with `writeFileData`, then
   * call `endFile`. In a split archive the content goes to the payload sink.
   */
  async beginFile(meta: Metadata, name: Name, size: number): Promise<void> {
    this.current();
    const bytes = nameBytes(name);
    const fileOffset = this.out.position;
    let trailer: Trailer;
    if (this.payload !== null) {
      // the reference points at the PAYLOAD header, which separates files in the payload stream
      trailer = { type: 'payload-ref', offset: this.payload.position, size };
      await this.payload.write(headerOnly(PXAR_PAYLOAD, size));
    } else {
      trailer = { type: 'payload', size };
    }
    await this.out.write(entryItems(bytes, meta, trailer));
    const metaSize = this.out.position - fileOffset;
    const item = { hash: hashFilename(bytes), offset: fileOffset, size: size + metaSize };
    // the goodbye item is recorded when the file ends, as pxar does when the file is dropped
    this.file = { remaining: size, size, item };
  }

  /** Appends file content; the encoder takes ownership of `data` (it may reach the sink as is). */
  async writeFileData(data: Buffer): Promise<void> {
    const file = this.file;
    if (file === null) throw invalid('no file is open');
    if (data.length > file.remaining) throw invalid('attempted to write more than previously allocated');
    file.remaining -= data.length;
    await (this.payload ?? this.out).write(data);
  }

  /** Finishes the open file; it must have received exactly its declared size. */
  endFile(): LinkOffset {
    const file = this.file;
    if (file === null) throw invalid('no file is open');
    if (file.remaining !== 0) {
      throw invalid(`incomplete file: ${file.remaining} of ${file.size} bytes missing`);
    }
    this.file = null;
    this.current().items.push(file.item);
    return file.item.offset;
  }

  /** Adds a regular file whose content comes from `content` (a Buffer or a stream of them). */
  async addFile(
    meta: Metadata,
    name: Name,
    size: number,
    content: Buffer | AsyncIterable<Buffer> | Iterable<Buffer>,
  ): Promise<LinkOffset> {
    await this.beginFile(meta, name, size);
    if (Buffer.isBuffer(content)) {
      await this.writeFileData(content);
    } else {
      for await (const chunk of content) await this.writeFileData(chunk);
    }
    return this.endFile();
  }

  /**
   * v2 only: a file whose content already sits in the payload stream at `payloadOffset` (reused
   * chunks injected by the caller, who then calls `advancePayload`).
   */
  async addPayloadRef(meta: Metadata, name: Name, size: number, payloadOffset: number): Promise<LinkOffset> {
    if (this.payload === null) throw invalid('payload references not supported in format version 1');
    if (payloadOffset < this.payload.position) {
      throw invalid(`offset smaller than current position: ${payloadOffset} < ${this.payload.position}`);
    }
    return this.addEntry(name, meta, { type: 'payload-ref', offset: payloadOffset, size });
  }

  /** v2 only: accounts for `size` payload bytes the caller emitted outside the encoder. */
  advancePayload(size: number): void {
    if (this.payload === null) throw invalid('no payload stream in format version 1');
    this.payload.position += size;
  }

  /**
   * v2 only: hands every payload byte written so far to the payload sink, lets `emit` place
   * `size` bytes (reused chunks) right after them, then accounts for them (`advancePayload`).
   */
  async injectPayload(size: number, emit: () => Promise<void>): Promise<void> {
    if (this.payload === null) throw invalid('no payload stream in format version 1');
    if (this.file !== null) throw invalid('incomplete file: finish writing the current file first');
    await this.payload.flush();
    await emit();
    this.payload.position += size;
  }

  async addSymlink(meta: Metadata, name: Name, target: Name): Promise<void> {
    await this.addEntry(name, meta, { type: 'symlink', target: pathBytes(target) });
  }

  /** A second name of a file encoded earlier at `targetOffset`; `target` is its archive path. */
  async addHardlink(name: Name, target: Name, targetOffset: LinkOffset): Promise<void> {
    const current = this.out.position;
    if (current <= targetOffset) throw invalid('invalid hardlink offset, can only point to prior files');
    await this.addEntry(name, null, {
      type: 'hardlink',
      offset: current - targetOffset,
      target: pathBytes(target),
    });
  }

  async addDevice(meta: Metadata, name: Name, device: Device): Promise<void> {
    if (!isDeviceMode(meta.stat.mode)) {
      throw invalid('entry added via add_device must have a device mode in its metadata');
    }
    await this.addEntry(name, meta, { type: 'device', device });
  }

  async addFifo(meta: Metadata, name: Name): Promise<void> {
    if (!isFifoMode(meta.stat.mode))
      throw invalid('entry added via add_fifo must be of type fifo in its metadata');
    await this.addEntry(name, meta, { type: 'none' });
  }

  async addSocket(meta: Metadata, name: Name): Promise<void> {
    if (!isSocketMode(meta.stat.mode)) {
      throw invalid('entry added via add_socket must be of type socket in its metadata');
    }
    await this.addEntry(name, meta, { type: 'none' });
  }

  /** Enters a new directory; entries added next belong to it until `finishDirectory`. */
  async createDirectory(name: Name, meta: Metadata): Promise<void> {
    this.current();
    if (!isDirMode(meta.stat.mode)) throw invalid('directory metadata must contain the directory mode flag');
    const bytes = nameBytes(name);
    const fileOffset = this.out.position;
    const filenameSize = HEADER_SIZE + bytes.length + 1;
    await this.out.write(entryItems(bytes, meta, { type: 'none' }));
    this.stack.push({
      items: [],
      entryOffset: fileOffset + filenameSize,
      fileOffset,
      fileHash: hashFilename(bytes),
    });
  }

  /** Writes the goodbye table of the innermost directory (the root last) and leaves it. */
  async finishDirectory(): Promise<void> {
    const state = this.current();
    const goodbyeOffset = this.out.position;
    await this.out.write(goodbyeTable(state.items, goodbyeOffset, state.entryOffset));
    this.stack.pop();
    const parent = this.stack[this.stack.length - 1];
    if (parent !== undefined && state.fileOffset !== null) {
      parent.items.push({
        hash: state.fileHash,
        offset: state.fileOffset,
        size: this.out.position - state.fileOffset,
      });
    }
  }

  /** Ends the archive (the root must be finished): payload tail marker, then flush both sinks. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.file !== null || this.stack.length !== 0)
      throw invalid('unexpected state on encoder close: directories still open');
    if (this.payload !== null) {
      await this.payload.write(headerOnly(PXAR_PAYLOAD_TAIL_MARKER, 0));
      await this.payload.flush();
    }
    await this.out.flush();
    this.closed = true;
  }
}
