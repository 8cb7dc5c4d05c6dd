import { randomUUID } from 'node:crypto';
import { AppError } from '@pbs/api-types/errors';
import type { Digest } from './digest.js';
import { INDEX_HEADER_SIZE } from './file-formats.js';

/*
 * What fixed and dynamic indexes share (pbs-datastore/src/index.rs, pbs-formats §3): a 4096-byte
 * header magic[8] uuid[16] ctime[i64] index_csum[32] …, then packed entries. All integers are
 * little-endian; u64 fields are read as JS numbers and must stay below 2^53.
 */

export const HEADER_UUID_OFFSET = 8;
export const HEADER_CTIME_OFFSET = 24;
export const HEADER_CSUM_OFFSET = 32;

/** One chunk's byte range [start, end) in the indexed data. */
export interface ChunkReadInfo {
  readonly start: number;
  readonly end: number;
  readonly digest: Digest;
}

export interface IndexFile {
  readonly kind: 'fixed' | 'dynamic';
  readonly uuid: Buffer;
  /** epoch seconds at writer creation */
  readonly ctime: number;
  /** index_csum as stored in the header */
  readonly headerCsum: Buffer;
  /** number of chunks */
  readonly count: number;
  /** total bytes of indexed data */
  readonly indexBytes: number;
  digestAt(pos: number): Digest | undefined;
  chunkInfo(pos: number): ChunkReadInfo | undefined;
  /** the chunk holding byte `offset` and the offset within it */
  chunkFromOffset(offset: number): { readonly pos: number; readonly offsetInChunk: number } | undefined;
  /** index_csum and data size recomputed from the entries (what the manifest records) */
  computeCsum(): { readonly csum: Buffer; readonly size: number };
  /** CORRUPT_DATA unless the header csum matches the entries */
  verifyCsum(): void;
  digests(): IterableIterator<Digest>;
}

export function corruptIndex(what: string, reason: string): AppError {
  return new AppError('CORRUPT_DATA', `${what}: ${reason}`);
}

/** A u64 LE field as a safe JS number, without allocating a BigInt. */
export function readU64(buf: Buffer, offset: number, what: string, field: string): number {
  const lo = buf.readUInt32LE(offset);
  const hi = buf.readUInt32LE(offset + 4);
  if (hi > 0x1f_ffff) throw corruptIndex(what, `${field} too large`);
  return hi * 0x1_0000_0000 + lo;
}

export function writeU64(buf: Buffer, value: number, offset: number): void {
  buf.writeUInt32LE(value % 0x1_0000_0000, offset);
  buf.writeUInt32LE(Math.floor(value / 0x1_0000_0000), offset + 4);
}

export interface IndexHeader {
  readonly uuid: Buffer;
  readonly ctime: number;
  readonly csum: Buffer;
}

/** Checks the length and magic and reads the shared header fields. */
export function readIndexHeader(buf: Buffer, magic: Uint8Array, what: string): IndexHeader {
  if (buf.length < INDEX_HEADER_SIZE) throw corruptIndex(what, `index too small (${buf.length} bytes)`);
  if (!buf.subarray(0, 8).equals(magic)) {
    throw corruptIndex(what, `got unknown magic number ${buf.subarray(0, 8).toString('hex')}`);
  }
  const ctime = buf.readBigInt64LE(HEADER_CTIME_OFFSET);
  if (ctime > BigInt(Number.MAX_SAFE_INTEGER) || ctime < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw corruptIndex(what, 'ctime out of range');
  }
  return {
    uuid: Buffer.from(buf.subarray(HEADER_UUID_OFFSET, HEADER_CTIME_OFFSET)),
    ctime: Number(ctime),
    csum: Buffer.from(buf.subarray(HEADER_CSUM_OFFSET, HEADER_CSUM_OFFSET + 32)),
  };
}

/** A zeroed header with magic, uuid, ctime and csum filled in. */
export function buildIndexHeader(
  magic: Uint8Array,
  uuid: Uint8Array,
  ctime: number,
  csum: Uint8Array,
): Buffer {
  const header = Buffer.alloc(INDEX_HEADER_SIZE);
  header.set(magic, 0);
  header.set(uuid, HEADER_UUID_OFFSET);
  header.writeBigInt64LE(BigInt(ctime), HEADER_CTIME_OFFSET);
  header.set(csum, HEADER_CSUM_OFFSET);
  return header;
}

/** A random v4 UUID as 16 raw bytes, as proxmox_uuid::Uuid::generate writes it. */
export function generateIndexUuid(): Buffer {
  return Buffer.from(randomUUID().replaceAll('-', ''), 'hex');
}

/** Rust `set_extension`: `disk.img.fidx` → `disk.img.tmp_fidx` (the writers' temp names). */
export function replaceExtension(path: string, extension: string): string {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  const stem = dot > slash + 1 ? path.slice(0, dot) : path;
  return `${stem}.${extension}`;
}

export function verifyHeaderCsum(index: IndexFile, what: string): void {
  const { csum } = index.computeCsum();
  if (!csum.equals(index.headerCsum)) {
    throw corruptIndex(
      what,
      `index checksum mismatch (stored ${index.headerCsum.toString('hex')}, computed ${csum.toString('hex')})`,
    );
  }
}

export function checkIndexUuid(uuid: Uint8Array | undefined): Buffer {
  if (uuid === undefined) return generateIndexUuid();
  if (uuid.length !== 16) throw new AppError('INVALID_ARGUMENT', 'index uuid must have 16 bytes');
  return Buffer.from(uuid);
}
