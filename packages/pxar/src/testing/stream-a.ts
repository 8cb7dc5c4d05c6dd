/**
 * stream-A of the reference vectors: block i is SHA-256 of the ASCII string `pbs-vector-<i>`;
 * the stream is the concatenation of the blocks.
 */
import { createHash } from 'node:crypto';

/** Bytes [offset, offset + size) of stream-A. */
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
