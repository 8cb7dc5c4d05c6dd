/**
 * Test helpers for the reference vectors (../shared/reference/vectors, copied to testdata/):
 * the rule-generated streams and the vector file locations.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export const TESTDATA_DIR = fileURLToPath(new URL('../../testdata/', import.meta.url));

/** Bytes [offset, offset + size) of stream-A: block i = sha256("pbs-vector-" + i). */
export function streamA(offset: number, size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let written = 0;
  let block = Math.floor(offset / 32);
  let skip = offset % 32;
  while (written < size) {
    const digest = createHash('sha256').update(`pbs-vector-${block}`).digest();
    written += digest.copy(out, written, skip, Math.min(32, skip + size - written));
    skip = 0;
    block += 1;
  }
  return out;
}

const MiB = 1024 * 1024;

/** stream-B (48 MiB) as the vectors README defines it; `a` must hold stream-A[0, 36 MiB). */
export function streamB(a: Buffer): Buffer {
  return Buffer.concat([
    a.subarray(0, 8 * MiB),
    Buffer.alloc(6 * MiB),
    a.subarray(0, 8 * MiB),
    a.subarray(32 * MiB, 36 * MiB),
    Buffer.alloc(16 * MiB),
    a.subarray(32 * MiB, 36 * MiB),
    a.subarray(MiB + 12345, 3 * MiB + 12345),
  ]);
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
