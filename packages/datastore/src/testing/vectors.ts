import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CryptConfig } from '../crypt-config.js';

/*
 * The golden vectors made by the reference PBS code (packages/datastore/testdata/vectors, a
 * byte-exact copy of reference/vectors; its README says what each file is and how exact it is).
 */

export const VECTORS_DIR = fileURLToPath(new URL('../../testdata/vectors/', import.meta.url));

export function vectorPath(rel: string): string {
  return `${VECTORS_DIR}${rel}`;
}

export function readVector(rel: string): Buffer {
  return fs.readFileSync(vectorPath(rel));
}

export function readVectorJson<T = Record<string, unknown>>(rel: string): T {
  return JSON.parse(fs.readFileSync(vectorPath(rel), 'utf8')) as T;
}

export type VectorKeyName = 'nokdf' | 'scrypt' | 'pbkdf2';

export interface VectorKeyInfo {
  readonly fingerprint: string;
  readonly raw_key: string;
  readonly id_key: string;
  readonly kdf_derived_key?: string;
  readonly passphrase?: string;
  readonly keyed_chunk_digests: { plaintext: string; digest: string }[];
}

export function vectorKeyInfo(name: VectorKeyName): VectorKeyInfo {
  return readVectorJson<VectorKeyInfo>(`keys/key-${name}.info.json`);
}

/** The CryptConfig of a vector key, straight from its raw key (no slow KDF). */
export function vectorCryptConfig(name: VectorKeyName): CryptConfig {
  return CryptConfig.fromKey(Buffer.from(vectorKeyInfo(name).raw_key, 'hex'));
}

export const VECTOR_PASSPHRASE = 'pbs-vector-passphrase';

const DISK_IMG_BLOCKS = 2304;
const DISK_IMG_BLOCK = 4096;

/** disk.img of the vectors README: block k = sha256("pbs-vector-img-" + k) then zeros (9 MiB). */
export function vectorDiskImage(): Buffer {
  const img = Buffer.alloc(DISK_IMG_BLOCKS * DISK_IMG_BLOCK);
  for (let k = 0; k < DISK_IMG_BLOCKS; k++) {
    createHash('sha256')
      .update(`pbs-vector-img-${k}`)
      .digest()
      .copy(img, k * DISK_IMG_BLOCK);
  }
  return img;
}

export const VECTOR_DISK_IMAGE_SHA256 = 'f8e6f1de485bfc8923f606c6fb1b54f0aaa9e2bf29caf3c93478a0ac325d2b00';
