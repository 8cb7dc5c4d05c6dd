/*
 * The media content header (pbs-formats §12.2) opening the payload of every tape file: magic,
 * content magic, content UUID, ctime (i64 LE), size (u32 LE) of the JSON header data that
 * follows, part number, 3 reserved bytes — 48 bytes, then `size` bytes of pretty JSON.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '@pbs/api-types/errors';
import type { BlockedReader } from './block.js';
import { MEDIA_CONTENT_HEADER_MAGIC } from './constants.js';

export const CONTENT_HEADER_SIZE = 48;
/** label header data is limited to 1 … 64 KiB on read */
export const MAX_HEADER_DATA = 64 * 1024;

export interface ContentHeader {
  contentMagic: Buffer;
  /** 36-character UUID */
  uuid: string;
  ctime: number;
  partNumber: number;
  /** the JSON header data */
  data: unknown;
}

export function uuidToBytes(uuid: string): Buffer {
  const raw = Buffer.from(uuid.replace(/-/g, ''), 'hex');
  if (raw.length !== 16) throw new AppError('INVALID_ARGUMENT', `'${uuid}' is not a UUID`);
  return raw;
}

export function uuidFromBytes(raw: Buffer): string {
  const h = raw.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** serde_json::to_string_pretty: two-space indentation */
export function prettyJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value, null, 2), 'utf8');
}

export function encodeContentHeader(
  contentMagic: Buffer,
  data: unknown,
  opts: { uuid?: string; ctime: number; partNumber?: number },
): { bytes: Buffer; uuid: string } {
  const json = prettyJson(data);
  const head = Buffer.alloc(CONTENT_HEADER_SIZE);
  MEDIA_CONTENT_HEADER_MAGIC.copy(head, 0);
  contentMagic.copy(head, 8);
  const uuid = opts.uuid ?? randomUUID();
  uuidToBytes(uuid).copy(head, 16);
  head.writeBigInt64LE(BigInt(opts.ctime), 32);
  head.writeUInt32LE(json.length, 40);
  head[44] = opts.partNumber ?? 0;
  return { bytes: Buffer.concat([head, json]), uuid };
}

/** Reads the header at the start of a tape file; null when the file is empty. */
export async function readContentHeader(reader: BlockedReader, where: string): Promise<ContentHeader | null> {
  const head = await reader.read(CONTENT_HEADER_SIZE);
  if (head.length === 0) return null;
  if (head.length < CONTENT_HEADER_SIZE) {
    throw new AppError('CORRUPT_DATA', `${where}: media content header truncated`);
  }
  if (!head.subarray(0, 8).equals(MEDIA_CONTENT_HEADER_MAGIC)) {
    throw new AppError('CORRUPT_DATA', `${where}: wrong media content header magic`);
  }
  const size = head.readUInt32LE(40);
  if (size < 1 || size > MAX_HEADER_DATA) {
    throw new AppError('CORRUPT_DATA', `${where}: media content header data size ${size} out of range`);
  }
  const json = await reader.read(size);
  if (json.length !== size)
    throw new AppError('CORRUPT_DATA', `${where}: media content header data truncated`);
  let data: unknown;
  try {
    data = JSON.parse(json.toString('utf8'));
  } catch (err) {
    throw new AppError('CORRUPT_DATA', `${where}: media content header data is not JSON`, { cause: err });
  }
  return {
    contentMagic: Buffer.from(head.subarray(8, 16)),
    uuid: uuidFromBytes(head.subarray(16, 32)),
    ctime: Number(head.readBigInt64LE(32)),
    partNumber: head[44] ?? 0,
    data,
  };
}
