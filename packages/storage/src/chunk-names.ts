import { AppError } from '@pbs/api-types/errors';
import type { ChunkFileKind } from './storage-backend.js';

/*
 * Chunk file naming, as PBS's chunk store iterator recognises it (pbs-formats §1.1): a chunk is
 * named by its 64 lowercase hex digest and lives in the prefix directory named by the digest's
 * first two bytes (4 hex characters).
 */

export const CHUNK_DIR = '.chunks';
export const LOCK_FILE = '.lock';
export const CHUNK_PREFIX_COUNT = 0x10000;
export const USING_MARKER_EXT = 'using';
/** a corrupt chunk is renamed to `<digest>.<n>.bad` with n in 0..MAX_BAD_INDEX */
export const MAX_BAD_INDEX = 9;

const CHUNK_FILE_NAME = /^([0-9a-f]{64})(?:\.([0-9])\.bad|\.using)?$/;
const DIGEST_HEX = /^[0-9a-f]{64}$/;

export interface ParsedChunkFileName {
  readonly digest: string;
  readonly kind: ChunkFileKind;
  /** n of `<digest>.<n>.bad` */
  readonly badIndex?: number;
}

/** Undefined for names that are not chunk files (temp files, foreign files). */
export function parseChunkFileName(name: string): ParsedChunkFileName | undefined {
  const m = CHUNK_FILE_NAME.exec(name);
  if (!m) return undefined;
  const digest = m[1] as string;
  if (m[2] !== undefined) return { digest, kind: 'bad', badIndex: Number(m[2]) };
  return { digest, kind: name.length === 64 ? 'chunk' : 'using' };
}

/** Like parseChunkFileName, but a bad name is the caller's error. */
export function requireChunkFileName(name: string, storage: string): ParsedChunkFileName {
  const parsed = parseChunkFileName(name);
  if (!parsed) {
    throw new AppError('INVALID_ARGUMENT', `storage '${storage}': '${name}' is not a chunk file name`, {
      details: { name },
    });
  }
  return parsed;
}

export function isDigestHex(value: string): boolean {
  return DIGEST_HEX.test(value);
}

/** The 4-hex-character prefix directory of a chunk file name or digest. */
export function chunkPrefixOf(nameOrDigest: string): string {
  return nameOrDigest.slice(0, 4);
}

/** Name of prefix directory `i` (0 ≤ i < 65536): `format!("{:04x}")`. */
export function prefixDirName(i: number): string {
  return i.toString(16).padStart(4, '0');
}

export function badChunkFileName(digest: string, n: number): string {
  return `${digest}.${n}.bad`;
}

export function usingMarkerFileName(digest: string): string {
  return `${digest}.${USING_MARKER_EXT}`;
}
