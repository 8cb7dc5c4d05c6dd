/*
 * The block layer (pbs-formats §12.1, pbs-tape BlockedWriter/BlockedReader): a tape file is a
 * stream of TAPE_BLOCK_SIZE blocks, each a 16-byte header (magic, flags, 3-byte LE payload size,
 * u32 LE sequence number from 0) and 262128 payload bytes, ended by a filemark. The last block
 * carries END_OF_STREAM (maybe with no payload), plus INCOMPLETE when the writer stopped at the
 * logical end of media before its data was complete. Unused payload bytes are zero.
 */
import { AppError } from '@pbs/api-types/errors';
import type { BlockSink, BlockSource } from '../drive/port.js';
import { BLOCK_HEADER_MAGIC, BLOCK_HEADER_SIZE, BLOCK_PAYLOAD_SIZE, TAPE_BLOCK_SIZE } from './constants.js';

export const FLAG_END_OF_STREAM = 1;
export const FLAG_INCOMPLETE = 2;

export interface BlockHeader {
  flags: number;
  size: number;
  seqNr: number;
}

export function writeBlockHeader(block: Buffer, header: BlockHeader): void {
  BLOCK_HEADER_MAGIC.copy(block, 0);
  block[8] = header.flags;
  block.writeUIntLE(header.size, 9, 3);
  block.writeUInt32LE(header.seqNr, 12);
}

export function parseBlockHeader(block: Buffer, where: string): BlockHeader {
  if (block.length !== TAPE_BLOCK_SIZE) {
    throw new AppError(
      'CORRUPT_DATA',
      `${where}: got a block of ${block.length} bytes, expected ${TAPE_BLOCK_SIZE}`,
    );
  }
  if (!block.subarray(0, 8).equals(BLOCK_HEADER_MAGIC)) {
    throw new AppError('CORRUPT_DATA', `${where}: wrong block header magic`);
  }
  const header = { flags: block[8] ?? 0, size: block.readUIntLE(9, 3), seqNr: block.readUInt32LE(12) };
  if (header.size > BLOCK_PAYLOAD_SIZE) {
    throw new AppError('CORRUPT_DATA', `${where}: block payload size ${header.size} too large`);
  }
  return header;
}

/** Bytes in, blocks out (pbs TapeWrite over a BlockSink). */
export class BlockedWriter {
  private readonly block = Buffer.alloc(TAPE_BLOCK_SIZE);
  private pos = 0;
  private seqNr = 0;
  private leom = false;
  private finished = false;
  /** bytes handed to the drive (whole blocks) */
  bytesWritten = 0;

  constructor(private readonly sink: BlockSink) {}

  /** true once the logical end of media was reached */
  get logicalEndOfMedia(): boolean {
    return this.leom;
  }

  /** Appends data; resolves true once LEOM was reached (the data was still written). */
  async write(data: Buffer): Promise<boolean> {
    if (this.finished) throw new AppError('INTERNAL', 'tape write after the file was finished');
    let offset = 0;
    while (offset < data.length) {
      const n = Math.min(BLOCK_PAYLOAD_SIZE - this.pos, data.length - offset);
      data.copy(this.block, BLOCK_HEADER_SIZE + this.pos, offset, offset + n);
      this.pos += n;
      offset += n;
      if (this.pos === BLOCK_PAYLOAD_SIZE) await this.flushBlock(0);
    }
    return this.leom;
  }

  private async flushBlock(flags: number): Promise<void> {
    writeBlockHeader(this.block, { flags, size: this.pos, seqNr: this.seqNr });
    this.block.fill(0, BLOCK_HEADER_SIZE + this.pos);
    this.seqNr += 1;
    // the sink may keep the buffer until its write completes: hand over a copy
    if (await this.sink.writeBlock(Buffer.from(this.block))) this.leom = true;
    this.bytesWritten += TAPE_BLOCK_SIZE;
    this.pos = 0;
  }

  /** Writes the END_OF_STREAM block (INCOMPLETE when asked) and the filemark; resolves LEOM. */
  async finish(incomplete = false): Promise<boolean> {
    if (this.finished) throw new AppError('INTERNAL', 'tape file finished twice');
    this.finished = true;
    await this.flushBlock(FLAG_END_OF_STREAM | (incomplete ? FLAG_INCOMPLETE : 0));
    await this.sink.writeFilemark();
    return this.leom;
  }
}

/**
 * Blocks in, bytes out: checks magic, sequence numbers and sizes; a filemark before the
 * END_OF_STREAM block is CORRUPT_DATA (a truncated file).
 */
export class BlockedReader implements AsyncIterable<Buffer> {
  private pending: Buffer | null = null;
  private seqNr = 0;
  private ended = false;
  /** the final block said INCOMPLETE */
  incomplete = false;

  constructor(
    private readonly source: BlockSource,
    private readonly where: string,
  ) {}

  /** the next payload piece, or null after END_OF_STREAM */
  async nextPayload(): Promise<Buffer | null> {
    if (this.ended) return null;
    const block = await this.source.readBlock();
    if (block === null) {
      throw new AppError('CORRUPT_DATA', `${this.where}: file ends without an end-of-stream block`);
    }
    const header = parseBlockHeader(block, this.where);
    if (header.seqNr !== this.seqNr) {
      throw new AppError(
        'CORRUPT_DATA',
        `${this.where}: block sequence error (got ${header.seqNr}, expected ${this.seqNr})`,
      );
    }
    this.seqNr += 1;
    if ((header.flags & FLAG_END_OF_STREAM) !== 0) {
      this.ended = true;
      this.incomplete = (header.flags & FLAG_INCOMPLETE) !== 0;
      // PBS writers end with the filemark right after this block
      if ((await this.source.readBlock()) !== null) {
        throw new AppError('CORRUPT_DATA', `${this.where}: data after the end-of-stream block`);
      }
    } else if (header.size !== BLOCK_PAYLOAD_SIZE) {
      throw new AppError(
        'CORRUPT_DATA',
        `${this.where}: short block ${header.seqNr} before the end of stream`,
      );
    }
    return block.subarray(BLOCK_HEADER_SIZE, BLOCK_HEADER_SIZE + header.size);
  }

  /** Exactly `n` bytes, or fewer only when the stream ends first. */
  async read(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let have = 0;
    while (have < n) {
      let piece = this.pending;
      this.pending = null;
      if (piece === null || piece.length === 0) {
        piece = await this.nextPayload();
        if (piece === null) break;
        if (piece.length === 0) continue;
      }
      const take = Math.min(n - have, piece.length);
      parts.push(piece.subarray(0, take));
      have += take;
      if (take < piece.length) this.pending = piece.subarray(take);
    }
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, have);
  }

  /** the rest of the stream, piece by piece */
  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    if (this.pending !== null && this.pending.length > 0) {
      const first = this.pending;
      this.pending = null;
      yield first;
    }
    for (;;) {
      const piece = await this.nextPayload();
      if (piece === null) return;
      if (piece.length > 0) yield piece;
    }
  }

  /** reads to the end (to reach the filemark) */
  async skipRest(): Promise<void> {
    this.pending = null;
    while ((await this.nextPayload()) !== null) {
      /* drain */
    }
  }

  get atEnd(): boolean {
    return this.ended && (this.pending === null || this.pending.length === 0);
  }

  async close(): Promise<void> {
    await this.source.close();
  }
}
