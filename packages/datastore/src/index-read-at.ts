/*
 * Random access to the data an index describes: `(offset, length) → bytes`, assembled from the
 * chunks that cover the range. Used to browse an archive (pxar accessor, catalog) and to stream
 * downloads without reassembling the whole file. A small cache keeps the last chunks decoded,
 * because archive readers touch neighbouring offsets many times.
 */
import { AppError } from '@pbs/api-types/errors';
import type { Digest } from './digest.js';
import type { IndexFile } from './index-file.js';

/** Loads a chunk's plaintext (decoded and checked against its digest). */
export type ChunkLoader = (digest: Digest, expectedSize: number) => Promise<Buffer>;

export type IndexReadAt = (offset: number, length: number) => Promise<Buffer>;

const DEFAULT_CACHE_CHUNKS = 8;

class ChunkCache {
  private readonly entries = new Map<number, Promise<Buffer>>();

  constructor(private readonly capacity: number) {}

  get(pos: number, load: () => Promise<Buffer>): Promise<Buffer> {
    const hit = this.entries.get(pos);
    if (hit !== undefined) {
      // re-insert: Map order is the LRU order
      this.entries.delete(pos);
      this.entries.set(pos, hit);
      return hit;
    }
    const loading = load();
    loading.catch(() => this.entries.delete(pos));
    this.entries.set(pos, loading);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as number);
    return loading;
  }
}

export function createIndexReadAt(
  index: IndexFile,
  load: ChunkLoader,
  opts: { cacheChunks?: number; name?: string } = {},
): IndexReadAt {
  const cache = new ChunkCache(opts.cacheChunks ?? DEFAULT_CACHE_CHUNKS);
  const what = opts.name ?? 'index';
  const chunkAt = (pos: number): Promise<Buffer> =>
    cache.get(pos, async () => {
      const info = index.chunkInfo(pos);
      if (info === undefined) throw new AppError('CORRUPT_DATA', `${what}: no chunk ${pos}`);
      const data = await load(info.digest, info.end - info.start);
      if (data.length !== info.end - info.start) {
        throw new AppError(
          'CORRUPT_DATA',
          `${what}: chunk ${info.digest} has ${data.length} bytes, expected ${info.end - info.start}`,
        );
      }
      return data;
    });
  return async (offset, length) => {
    if (offset < 0 || length < 0 || offset + length > index.indexBytes) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `${what}: read of ${length} bytes at ${offset} is outside 0..${index.indexBytes}`,
      );
    }
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const at = index.chunkFromOffset(offset + done);
      if (at === undefined)
        throw new AppError('CORRUPT_DATA', `${what}: no chunk holds offset ${offset + done}`);
      const chunk = await chunkAt(at.pos);
      done += chunk.copy(
        out,
        done,
        at.offsetInChunk,
        Math.min(chunk.length, at.offsetInChunk + (length - done)),
      );
    }
    return out;
  };
}
