import fsp from 'node:fs/promises';
import type { LocalFsBackend } from '../local-fs-backend.js';
import { parseHumanByte } from './s3-config.js';
import { KeyedLock } from './keyed-lock.js';

/*
 * The chunk half of the local cache (pbs-formats §11.3, PBS LocalDatastoreLruCache): chunk
 * files in the cache store are either full copies or zero-length markers, and every one stands
 * for an object that is in the bucket. The marker keeps the file's access time, which GC reads
 * as the chunk's mark. An in-memory LRU of cached digests (capacity in chunks =
 * min(free space, max-cache-size) / 16 MiB) turns the least recently used copy back into a
 * marker when a new one comes in.
 *
 * Invariant: a cache file for a chunk exists only while its object is in the bucket. Files are
 * created after their upload or download succeeded, never resurrected: eviction replaces a file
 * only if it still exists, under a per-name lock that removal takes too.
 */

const CAPACITY_UNIT = 16 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);

export interface ChunkCacheOptions {
  /** bytes (or HumanByte) the cache may fill */
  readonly maxCacheSize?: number | string;
  /** chunks; overrides the computation from maxCacheSize and free space */
  readonly capacity?: number;
}

export class ChunkCache {
  private readonly lru = new Map<string, true>();
  private capacity: number | undefined;
  private capacityPending: Promise<number> | undefined;
  private readonly locks = new KeyedLock();

  constructor(
    private readonly local: LocalFsBackend,
    private readonly opts: ChunkCacheOptions,
  ) {
    this.capacity = opts.capacity;
  }

  private async getCapacity(): Promise<number> {
    if (this.capacity !== undefined) return this.capacity;
    this.capacityPending ??= (async () => {
      const st = await fsp.statfs(this.local.localBase);
      const avail = st.bavail * st.bsize;
      const max = this.opts.maxCacheSize !== undefined ? parseHumanByte(this.opts.maxCacheSize) : avail;
      this.capacity = Math.max(1, Math.floor(Math.min(avail, max) / CAPACITY_UNIT));
      return this.capacity;
    })();
    return this.capacityPending;
  }

  /** number of cached copies the LRU tracks */
  get size(): number {
    return this.lru.size;
  }

  has(name: string): boolean {
    return this.lru.has(name);
  }

  /** Marks a cached copy as just used. */
  touch(name: string): void {
    if (this.lru.delete(name)) this.lru.set(name, true);
  }

  /** Stores a full copy (after its object was uploaded or downloaded) and evicts the oldest. */
  async store(name: string, data: Uint8Array): Promise<void> {
    await this.locks.run(name, () => this.local.writeChunk(name, data, { overwrite: true }));
    this.lru.delete(name);
    this.lru.set(name, true);
    const capacity = await this.getCapacity();
    while (this.lru.size > capacity) {
      const oldest = this.lru.keys().next();
      if (oldest.done) break;
      this.lru.delete(oldest.value);
      await this.evict(oldest.value);
    }
  }

  /** A zero-length marker, unless a file is there (then its mark is refreshed). */
  async ensureMarker(name: string): Promise<void> {
    await this.locks.run(name, async () => {
      if (!(await this.local.touchChunk(name))) await this.local.writeChunk(name, EMPTY);
    });
  }

  /** Replaces a full copy by a marker if the file (still) exists. */
  private async evict(name: string): Promise<void> {
    await this.locks.run(name, async () => {
      const st = await this.local.statChunk(name);
      if (st?.isFile && st.size > 0) await this.local.writeChunk(name, EMPTY, { overwrite: true });
    });
  }

  /** Removes cache files (before their objects are deleted). */
  async remove(names: readonly string[]): Promise<void> {
    for (const name of names) {
      this.lru.delete(name);
      await this.locks.run(name, () => this.local.removeChunkFiles([name]));
    }
  }

  /** Renames a cache file, or leaves a marker for `to` when `from` is not cached. */
  async rename(from: string, to: string): Promise<void> {
    this.lru.delete(from);
    await this.locks.run(from, async () => {
      if (await this.local.statChunk(from)) await this.local.renameChunk(from, to);
      else await this.local.writeChunk(to, EMPTY, { overwrite: true });
    });
  }

  /** Runs `fn` under the cache lock of `name` (GC turning a `.using` marker into a marker). */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(name, fn);
  }
}
