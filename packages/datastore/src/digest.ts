import { createHash } from 'node:crypto';
import { AppError } from '@pbs/api-types/errors';

/**
 * A chunk digest: 64 lowercase hex characters (PBS `SHA256_HEX_REGEX`). Branded so that a file
 * name, a csum or a random hex string cannot be passed where a chunk digest is meant; hex
 * strings (rather than bytes) make digests cheap Map/Set keys and chunk file names.
 */
export type Digest = string & { readonly __brand: 'Digest' };

export const DIGEST_SIZE = 32;
const SHA256_HEX = /^[a-f0-9]{64}$/;

export function isDigest(value: string): value is Digest {
  return SHA256_HEX.test(value);
}

/** INVALID_ARGUMENT unless `value` is 64 lowercase hex characters. */
export function parseDigest(value: string): Digest {
  if (!isDigest(value)) {
    throw new AppError('INVALID_ARGUMENT', `invalid chunk digest '${value}'`, { details: { digest: value } });
  }
  return value;
}

/** The digest stored at `offset` in `buf` (index entries). */
export function digestFromBytes(buf: Uint8Array, offset = 0): Digest {
  return Buffer.from(buf.buffer, buf.byteOffset + offset, DIGEST_SIZE).toString('hex') as Digest;
}

/** Writes the digest's 32 bytes into `buf` at `offset`. */
export function writeDigest(digest: Digest, buf: Buffer, offset: number): void {
  buf.write(digest, offset, DIGEST_SIZE, 'hex');
}

export function digestToBytes(digest: Digest): Buffer {
  return Buffer.from(digest, 'hex');
}

/** Plain chunk digest: SHA-256 of the data. */
export function sha256Digest(data: Uint8Array): Digest {
  return createHash('sha256').update(data).digest('hex') as Digest;
}

/** Short form for messages, like PBS logs it. */
export function shortDigest(digest: string): string {
  return `${digest.slice(0, 8)}…`;
}
