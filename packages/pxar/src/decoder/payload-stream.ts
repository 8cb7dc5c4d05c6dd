/**
 * The payload stream (.ppxar) of a split archive, read strictly forward: it starts with
 * PAYLOAD_START_MARKER; each file's content is a PAYLOAD item at the offset its PAYLOAD_REF
 * names. References must increase and not overlap (what the PBS encoder guarantees), so the
 * stream never has to go back.
 */
import { AppError } from '@pbs/api-types/errors';
import { corrupt } from '../errors.js';
import {
  HEADER_SIZE,
  PXAR_PAYLOAD,
  PXAR_PAYLOAD_START_MARKER,
  describeHeaderType,
} from '../format/constants.js';
import { parseHeader } from '../format/parse.js';
import { ByteReader, type ByteSource } from './byte-reader.js';

export class PayloadStream {
  private readonly reader: ByteReader | null;
  private started = false;
  /** End of the last referenced payload item (header + content). */
  private end = 0;

  constructor(
    source: ByteSource | undefined,
    private readonly name: string | undefined,
  ) {
    this.reader = source ? new ByteReader(source, name, 'payload stream') : null;
  }

  /** Checks a PAYLOAD_REF as the metadata stream yields it. */
  checkRef(offset: number, size: number, path: string, formatVersion: number): void {
    const where = JSON.stringify(path);
    if (formatVersion !== 2) {
      throw corrupt(
        this.name,
        `bad payload ref of ${where}: payload reference in a format version 1 archive`,
      );
    }
    if (offset < this.end) {
      throw corrupt(
        this.name,
        `bad payload ref of ${where}: offset ${offset} is before the end of the previous file's payload (${this.end})`,
      );
    }
    this.end = offset + HEADER_SIZE + size;
  }

  private async readStart(reader: ByteReader): Promise<void> {
    const h = parseHeader(await reader.readExact(HEADER_SIZE), 0, this.name, 0);
    if (h.htype !== PXAR_PAYLOAD_START_MARKER || h.fullSize !== HEADER_SIZE) {
      throw corrupt(
        this.name,
        `unexpected header in payload input: expected PAYLOAD_START_MARKER, got ${describeHeaderType(h.htype)}`,
      );
    }
    this.started = true;
  }

  /** Positions the stream at the content of the PAYLOAD item at `offset` (of `size` bytes). */
  async open(offset: number, size: number): Promise<ByteReader> {
    const reader = this.reader;
    if (reader === null) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `${this.name ?? 'pxar archive'}: split archive: file contents need the payload stream`,
      );
    }
    if (!this.started) await this.readStart(reader);
    if (reader.position > offset) {
      throw corrupt(
        this.name,
        `bad payload ref: offset ${offset} is smaller than the consumed payload ${reader.position}`,
      );
    }
    await reader.skip(offset - reader.position);
    const raw = await reader.readExact(HEADER_SIZE);
    const htype = raw.readBigUInt64LE(0);
    // type before size: a reference into the middle of data finds garbage, not a header
    if (htype !== PXAR_PAYLOAD) {
      throw corrupt(
        this.name,
        `bad payload ref: expected PAYLOAD at payload offset ${offset}, got ${describeHeaderType(htype)}`,
      );
    }
    const h = parseHeader(raw, 0, this.name, offset);
    if (h.fullSize - HEADER_SIZE !== size) {
      throw corrupt(
        this.name,
        `bad payload ref: size mismatch at payload offset ${offset}: expected ${h.fullSize - HEADER_SIZE}, got ${size}`,
      );
    }
    return reader;
  }
}
