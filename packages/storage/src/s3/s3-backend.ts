import path from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import { requireChunkFileName, usingMarkerFileName } from '../chunk-names.js';
import { LocalFsBackend, type SyncLevel } from '../local-fs-backend.js';
import type {
  ChunkFileEntry,
  ChunkFileStat,
  ContentEntry,
  ContentFileWriter,
  ContentStat,
  CreateDirOptions,
  InitChunkStoreOptions,
  ListChunkFilesOptions,
  ReadChunkOptions,
  StorageBackend,
  StorageCapabilities,
  WriteChunkOptions,
  WriteFileOptions,
} from '../storage-backend.js';
import { ChunkCache } from './chunk-cache.js';
import { S3Client, type S3ClientOptions } from './s3-client.js';
import type { S3EndpointOptions } from './s3-config.js';
import { S3RequestCounters, type S3CounterSnapshot } from './s3-counters.js';
import { listChunkObjects, listS3ChunkFiles, type ChunkObject } from './s3-chunk-listing.js';
import { S3Content } from './s3-content.js';
import { S3KeyLayout } from './s3-keys.js';
import type { Clock } from './token-bucket.js';

/*
 * A datastore in an S3 bucket with a local cache datastore (pbs-formats §11). Chunks live in
 * the bucket; the cache store holds full copies or zero-length markers whose access times are
 * the GC marks, and `.using` markers. Content files are uploaded and kept in the cache, where
 * every read is served; datastore-local state (`.gc-status`, `.lock`) stays local.
 *
 * Ordering: a cache file appears only after its object was stored (a chunk copy or marker after
 * the PUT, a content file after its upload, an index after its upload on commit), and goes
 * before its object is deleted; so whatever the cache shows is in the bucket.
 */

export interface S3BackendOptions {
  /** the datastore name: object keys start with `<name>/` */
  readonly name: string;
  /** bound to the datastore's bucket */
  readonly client: S3Client;
  /** absolute path of the local cache datastore */
  readonly cacheBase: string;
  /** bytes (or HumanByte) the chunk cache may use; default: the free space */
  readonly maxCacheSize?: number | string;
  /** cached chunks; overrides maxCacheSize (tests) */
  readonly cacheCapacity?: number;
  /** must be the datastore's clock: it stamps the cache files' marks */
  readonly clock?: Clock;
  /** for the cache store (default 'filesystem') */
  readonly syncLevel?: SyncLevel;
}

/** Everything to build the client and the backend of one datastore from its configuration. */
export interface S3DatastoreBackendConfig {
  /** the datastore name */
  readonly name: string;
  /** the s3.cfg entry of the datastore's `client=` endpoint */
  readonly endpoint: S3EndpointOptions;
  readonly bucket: string;
  /** the datastore's `path`: its local cache */
  readonly cacheBase: string;
  /** the datastore's `max-cache-size` */
  readonly maxCacheSize?: number | string;
  /** cached chunks, overriding maxCacheSize (tests) */
  readonly cacheCapacity?: number;
  readonly clock?: Clock;
  readonly syncLevel?: SyncLevel;
  /** persisted counters to continue from */
  readonly counters?: S3CounterSnapshot;
  /** client tuning (tests: fast retries) */
  readonly client?: Omit<S3ClientOptions, 'config' | 'bucket' | 'counters'>;
}

const CAPABILITIES: StorageCapabilities = {
  atomicReplace: false,
  consistentListing: true,
  accessTimes: true,
  cheapRename: false,
  local: false,
};

export function isS3Backend(backend: StorageBackend): backend is S3Backend {
  return (backend as Partial<S3Backend>).kind === 's3';
}

export class S3Backend implements StorageBackend {
  readonly kind = 's3';
  readonly name: string;
  readonly capabilities = CAPABILITIES;
  readonly localBase: string;
  readonly client: S3Client;
  /** the cache datastore */
  readonly cache: LocalFsBackend;
  readonly keys: S3KeyLayout;
  readonly chunkCache: ChunkCache;
  private readonly content: S3Content;

  constructor(opts: S3BackendOptions) {
    if (!path.isAbsolute(opts.cacheBase)) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `storage '${opts.name}': expected an absolute cache path, got '${opts.cacheBase}'`,
      );
    }
    this.name = opts.name;
    this.client = opts.client;
    this.cache = new LocalFsBackend({
      name: opts.name,
      base: opts.cacheBase,
      syncLevel: opts.syncLevel,
      clock: opts.clock,
    });
    this.localBase = this.cache.localBase;
    this.keys = new S3KeyLayout(opts.name);
    this.chunkCache = new ChunkCache(this.cache, {
      maxCacheSize: opts.maxCacheSize,
      capacity: opts.cacheCapacity,
    });
    this.content = new S3Content(this.cache, this.client, this.keys, opts.name);
  }

  /**
   * The backend of a datastore with `backend type=s3,client=<id>,bucket=<b>[,max-cache-size=…]`:
   * one S3Client per datastore, so its counters are the datastore's (PBS keeps them per
   * `<client>-<bucket>-<store>`). Call `client.destroy()` when the datastore is closed.
   */
  static fromConfig(cfg: S3DatastoreBackendConfig): S3Backend {
    const client = new S3Client({
      ...cfg.client,
      config: cfg.endpoint,
      bucket: cfg.bucket,
      clock: cfg.client?.clock ?? cfg.clock,
      counters: new S3RequestCounters(cfg.counters),
    });
    return new S3Backend({
      name: cfg.name,
      client,
      cacheBase: cfg.cacheBase,
      maxCacheSize: cfg.maxCacheSize,
      cacheCapacity: cfg.cacheCapacity,
      clock: cfg.clock,
      syncLevel: cfg.syncLevel,
    });
  }

  /** Names datastore, endpoint and bucket in messages. */
  describe(): string {
    return `datastore '${this.name}' on ${this.client.describe()}`;
  }

  private what(name: string): string {
    return `storage '${this.name}': chunk file ${name}`;
  }

  initChunkStore(opts?: InitChunkStoreOptions): Promise<void> {
    return this.cache.initChunkStore(opts);
  }

  checkChunkStore(): Promise<void> {
    return this.cache.checkChunkStore();
  }

  /** The cache store's view: a chunk only in the bucket is undefined until read or marked. */
  async statChunk(name: string): Promise<ChunkFileStat | undefined> {
    requireChunkFileName(name, this.name);
    return this.cache.statChunk(name);
  }

  /** Served from a cached copy; a marker or no file is fetched and cached (not with bypassCache). */
  async readChunk(name: string, opts: ReadChunkOptions = {}): Promise<Buffer> {
    const parsed = requireChunkFileName(name, this.name);
    if (parsed.kind === 'using') return this.cache.readChunk(name, opts);
    const head = (data: Buffer) => (opts.length !== undefined ? data.subarray(0, opts.length) : data);
    if (!opts.bypassCache) {
      const local = await this.cache.readChunk(name).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return undefined;
        throw err;
      });
      if (local && local.length > 0) {
        this.chunkCache.touch(name);
        return head(local);
      }
    }
    const data = await this.client.getObject(this.keys.chunk(name)).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'NOT_FOUND') {
        throw new AppError('NOT_FOUND', `${this.what(name)}: not found in ${this.client.describe()}`, {
          cause: err,
        });
      }
      throw err;
    });
    if (!opts.bypassCache) await this.chunkCache.store(name, data);
    return head(data);
  }

  /**
   * PBS insert_chunk_cached: a cached copy or marker means the bucket has the chunk (its mark
   * is refreshed, nothing is sent); otherwise a conditional PUT (HTTP 412: it was there) and a
   * cached copy. With `noCache` the PUT always goes out and only a marker stays: unlike PBS,
   * which keeps nothing, because a running backup's chunk without a mark would look unused to
   * GC until an index references it.
   */
  async writeChunk(name: string, data: Uint8Array, opts: WriteChunkOptions = {}): Promise<boolean> {
    const parsed = requireChunkFileName(name, this.name);
    if (parsed.kind === 'using') return this.cache.writeChunk(name, data, opts);
    if (!opts.overwrite && !opts.noCache && (await this.cache.touchChunk(name))) {
      this.chunkCache.touch(name);
      return false;
    }
    const result = await this.client.putObject(this.keys.chunk(name), data, {
      replace: opts.overwrite === true,
    });
    if (opts.noCache) await this.chunkCache.ensureMarker(name);
    else await this.chunkCache.store(name, data);
    if (parsed.kind === 'chunk') await this.cache.removeChunkFiles([usingMarkerFileName(parsed.digest)]);
    return result === 'created';
  }

  /** Marks the cache file (GC phase 1); false if there is none. */
  async touchChunk(name: string): Promise<boolean> {
    requireChunkFileName(name, this.name);
    return this.cache.touchChunk(name);
  }

  /** Copies the object to its new key and deletes the old one, then renames the cache file. */
  async renameChunk(from: string, to: string): Promise<void> {
    const src = requireChunkFileName(from, this.name);
    const dst = requireChunkFileName(to, this.name);
    if (from.slice(0, 4) !== to.slice(0, 4)) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `storage '${this.name}': cannot rename ${from} to another prefix`,
      );
    }
    if (src.kind === 'using' || dst.kind === 'using') return this.cache.renameChunk(from, to);
    await this.client.copyObject(this.keys.chunk(from), this.keys.chunk(to)).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'NOT_FOUND') {
        throw new AppError('NOT_FOUND', `${this.what(from)}: rename to ${to} failed: not found`, {
          cause: err,
        });
      }
      throw err;
    });
    await this.chunkCache.rename(from, to);
    await this.client.deleteObject(this.keys.chunk(from));
  }

  /** Cache files first, then the objects (one DeleteObjects per 1000). */
  async removeChunkFiles(names: readonly string[]): Promise<void> {
    const parsed = names.map((name) => ({ name, ...requireChunkFileName(name, this.name) }));
    await this.chunkCache.remove(names);
    const keys = parsed.filter((p) => p.kind !== 'using').map((p) => this.keys.chunk(p.name));
    if (keys.length > 0) await this.client.deleteObjects(keys);
  }

  listChunkFiles(opts: ListChunkFilesOptions = {}): AsyncIterable<ChunkFileEntry> {
    return listS3ChunkFiles(this.client, this.keys, this.cache, opts);
  }

  /** The chunk and bad-chunk objects in the bucket (GC phase 2), in key order. */
  listChunkObjects(opts: ListChunkFilesOptions = {}): AsyncIterable<ChunkObject> {
    return listChunkObjects(this.client, this.keys, opts);
  }

  readFile(rel: string): Promise<Buffer> {
    return this.content.readFile(rel);
  }

  writeFile(rel: string, data: string | Uint8Array, opts?: WriteFileOptions): Promise<void> {
    return this.content.writeFile(rel, data, opts);
  }

  statFile(rel: string): Promise<ContentStat | undefined> {
    return this.content.statFile(rel);
  }

  removeFile(rel: string): Promise<boolean> {
    return this.content.removeFile(rel);
  }

  renameFile(from: string, to: string): Promise<void> {
    return this.content.renameFile(from, to);
  }

  listDir(rel: string): Promise<ContentEntry[]> {
    return this.content.listDir(rel);
  }

  createDir(rel: string, opts?: CreateDirOptions): Promise<boolean> {
    return this.content.createDir(rel, opts);
  }

  removeDir(rel: string, opts?: { recursive?: boolean }): Promise<boolean> {
    return this.content.removeDir(rel, opts);
  }

  createFileWriter(rel: string, tempRel: string): Promise<ContentFileWriter> {
    return this.content.createFileWriter(rel, tempRel);
  }

  sync(): Promise<void> {
    return this.cache.sync();
  }

  /**
   * GC phase 2 for an object without a cache file: if phase 1 left a `.using` marker for its
   * digest (the chunk is referenced but was not cached), the marker becomes a cache marker for
   * `name` and the answer is true.
   */
  async adoptExpectedMarker(digest: string, name: string): Promise<boolean> {
    requireChunkFileName(name, this.name);
    const using = usingMarkerFileName(digest);
    return this.chunkCache.withLock(name, async () => {
      if (!(await this.cache.statChunk(using))) return false;
      if (!(await this.cache.touchChunk(name))) await this.cache.writeChunk(name, Buffer.alloc(0));
      await this.cache.removeChunkFiles([using]);
      return true;
    });
  }

  /** The in-use marker's JSON, or undefined if the bucket has none for this datastore. */
  async readInUseMarker(): Promise<{ hostname?: string } | undefined> {
    const raw = await this.client.getObjectIfExists(this.keys.inUseMarker);
    if (raw === undefined) return undefined;
    try {
      const json = JSON.parse(raw.toString('utf8')) as unknown;
      return typeof json === 'object' && json !== null ? json : {};
    } catch {
      return {};
    }
  }

  /** Writes `<store>/.in-use` as `{"hostname": …}` (replacing one that is there). */
  async writeInUseMarker(hostname: string): Promise<void> {
    await this.client.putObject(this.keys.inUseMarker, Buffer.from(JSON.stringify({ hostname })), {
      replace: true,
    });
  }

  async removeInUseMarker(): Promise<void> {
    await this.client.deleteObject(this.keys.inUseMarker);
  }
}
