import type { FileHandle } from 'node:fs/promises';

/*
 * Fixed-size chunking for images (pbs-client FixedChunkStream, pbs-formats §5.1): plain 4 MiB
 * blocks, the last one may be shorter. Files are read straight into each chunk's own buffer (one
 * read per chunk, no copy); streams (pipes) are assembled into chunk buffers. All-zero chunks are
 * recognised with a memcmp against a shared zero buffer, so callers can skip hashing and
 * compressing them (they all have the same, precomputed digest).
 */

export const FIXED_CHUNK_SIZE = 4 * 1024 * 1024;

const ZEROES = Buffer.alloc(FIXED_CHUNK_SIZE);

/** True if every byte of `data` is zero (memcmp speed). */
export function isAllZero(data: Uint8Array): boolean {
  let off = 0;
  while (off < data.length) {
    const n = Math.min(ZEROES.length, data.length - off);
    if (!ZEROES.subarray(0, n).equals(data.subarray(off, off + n))) return false;
    off += n;
  }
  return true;
}

/** Chunks of an open file from offset 0 up to `size` bytes (or EOF), read in place. */
export async function* fileFixedChunks(
  file: FileHandle,
  size: number,
  chunkSize = FIXED_CHUNK_SIZE,
): AsyncGenerator<Buffer> {
  let pos = 0;
  while (pos < size) {
    const want = Math.min(chunkSize, size - pos);
    const buf = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await file.read(buf, got, want - got, pos + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    if (got === 0) return;
    yield got === want ? buf : buf.subarray(0, got);
    pos += got;
    if (got < want) return;
  }
}

/** Chunks of a stream of unknown length (pipes), assembled into chunk-sized buffers. */
export async function* streamFixedChunks(
  source: AsyncIterable<Buffer>,
  chunkSize = FIXED_CHUNK_SIZE,
): AsyncGenerator<Buffer> {
  let buf = Buffer.allocUnsafe(chunkSize);
  let fill = 0;
  for await (const data of source) {
    let pos = 0;
    while (pos < data.length) {
      const n = Math.min(chunkSize - fill, data.length - pos);
      data.copy(buf, fill, pos, pos + n);
      fill += n;
      pos += n;
      if (fill === chunkSize) {
        yield buf;
        buf = Buffer.allocUnsafe(chunkSize);
        fill = 0;
      }
    }
  }
  if (fill > 0) yield buf.subarray(0, fill);
}
