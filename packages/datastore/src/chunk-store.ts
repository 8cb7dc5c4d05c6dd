import { AppError } from '@pbs/api-types/errors';
import {
  badChunkFileName,
  chunkPrefixOf,
  CHUNK_DIR,
  MAX_BAD_INDEX,
  usingMarkerFileName,
  type ChunkFileEntry,
  type ChunkFileStat,
  type InitChunkStoreOptions,
  type StorageBackend,
} from '@pbs/storage';
import { blobKindOfMagic, DataBlob } from './data-blob.js';
import { parseDigest, type Digest } from './digest.js';
import { KeyedMutex } from './keyed-mutex.js';
import { sweepChunkFiles, type SweepOptions, type SweepOutcome } from './chunk-sweep.js';

/*
 * The content-addressed chunk store of a datastore (pbs-datastore/src/chunk_store.rs) on top of
 * the storage port. Every operation on one digest runs under that digest's in-process mutex:
 * insert, touch, mark, rename and the sweep's final re-check serialise, which is what keeps a
 * sweep from deleting a chunk an insert has just found and touched.
 */

export const ZERO_CHUNK_SIZE = 4 * 1024 * 1024;
/** sha256 of 4 MiB of zeros: present in every datastore (GC's atime safety check inserts it) */
export const ZERO_CHUNK_DIGEST = parseDigest(
  'bb9f8df61474d25e71fa00722318cd387396ca1736605e1248821cc0de3d3af8',
);

let zeroChunk: DataBlob | undefined;

/** The well-known zero chunk as PBS builds it: 4 MiB of zeros, compressed, unencrypted. */
export function encodeZeroChunk(): DataBlob {
  zeroChunk ??= DataBlob.encode(Buffer.alloc(ZERO_CHUNK_SIZE), { what: `chunk ${ZERO_CHUNK_DIGEST}` });
  return zeroChunk;
}

export interface ChunkStoreOptions {
  /** datastore name, used in messages */
  readonly name: string;
}

export interface InsertChunkOptions {
  /** keep no cached copy on an object store (PBS `no-cache` backups) */
  readonly noCache?: boolean;
}

export interface InsertChunkResult {
  /** the store already had the chunk (and kept its copy) */
  readonly duplicate: boolean;
  /** encoded size of the chunk file now in the store */
  readonly size: number;
}

/** what GC phase 1 found for a digest */
export type ChunkMark = 'chunk' | 'bad' | 'expected' | 'missing';

export class ChunkStore {
  private readonly locks = new KeyedMutex();

  private constructor(
    readonly backend: StorageBackend,
    readonly name: string,
  ) {}

  /** Creates the layout (`.chunks`, 65536 prefix dirs, `.lock`) and inserts the zero chunk. */
  static async create(
    backend: StorageBackend,
    opts: ChunkStoreOptions & Pick<InitChunkStoreOptions, 'signal' | 'onProgress'>,
  ): Promise<ChunkStore> {
    await backend.initChunkStore({ signal: opts.signal, onProgress: opts.onProgress });
    const store = new ChunkStore(backend, opts.name);
    await store.insertZeroChunk();
    return store;
  }

  /** Opens an existing chunk store (NOT_FOUND without `.chunks` and `.lock`). */
  static async open(backend: StorageBackend, opts: ChunkStoreOptions): Promise<ChunkStore> {
    await backend.checkChunkStore();
    return new ChunkStore(backend, opts.name);
  }

  /** `.chunks/<pppp>/<digest>`, relative to the datastore */
  static chunkPath(digest: Digest): string {
    return `${CHUNK_DIR}/${chunkPrefixOf(digest)}/${digest}`;
  }

  private what(digest: string): string {
    return `datastore '${this.name}': chunk ${digest}`;
  }

  /**
   * insert_chunk (pbs-formats §2.4). An existing file of the same size is a duplicate (touched);
   * an empty one is overwritten; an encrypted upload never replaces a plain chunk nor, if both
   * are encrypted and uncompressed, a different one (INVALID_ARGUMENT); otherwise the smaller
   * copy wins. The blob is stored as is: callers verify it and fix its CRC first.
   */
  insertChunk(digest: Digest, blob: DataBlob, opts: InsertChunkOptions = {}): Promise<InsertChunkResult> {
    return this.locks.run(digest, () => this.insertLocked(digest, blob, opts));
  }

  private async insertLocked(
    digest: Digest,
    blob: DataBlob,
    opts: InsertChunkOptions,
  ): Promise<InsertChunkResult> {
    const size = blob.raw.length;
    if (!this.backend.capabilities.local) {
      // An object store decides duplicates itself (cache file, marker, conditional PUT): a
      // stat-and-compare would cost a request per chunk, and a marker has no size to compare.
      const written = await this.backend.writeChunk(digest, blob.raw, { noCache: opts.noCache });
      return { duplicate: !written, size };
    }
    const existing = await this.backend.statChunk(digest);
    if (existing) {
      const keep = await this.keepExisting(digest, blob, existing);
      if (keep && (await this.backend.touchChunk(digest))) return { duplicate: true, size: existing.size };
    }
    await this.backend.writeChunk(digest, blob.raw, { overwrite: existing !== undefined });
    return { duplicate: false, size };
  }

  private async keepExisting(digest: Digest, blob: DataBlob, existing: ChunkFileStat): Promise<boolean> {
    if (!existing.isFile) throw new AppError('INTERNAL', `${this.what(digest)}: unexpected file type`);
    if (existing.size === blob.raw.length) return true;
    if (existing.size === 0) return false;
    if (!blob.isEncrypted) return existing.size < blob.raw.length;
    const kind = blobKindOfMagic(await this.backend.readChunk(digest, { length: 8 }));
    if (kind === 'uncompressed' || kind === 'compressed') {
      throw new AppError(
        'INVALID_ARGUMENT',
        `${this.what(digest)}: overwriting an unencrypted chunk with an encrypted chunk of the same digest is not allowed`,
      );
    }
    if (kind === 'encrypted' && !blob.isCompressed) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `${this.what(digest)}: overwriting an existing encrypted chunk is not allowed`,
      );
    }
    // compressed sizes may differ between zstd versions: keep the first upload
    return true;
  }

  /** Inserts the well-known zero chunk (datastore creation, GC atime safety check). */
  insertZeroChunk(): Promise<InsertChunkResult> {
    return this.insertChunk(ZERO_CHUNK_DIGEST, encodeZeroChunk());
  }

  /** The stored chunk with its CRC verified (CORRUPT_DATA otherwise; NOT_FOUND if missing). */
  async loadChunk(digest: Digest, opts: { bypassCache?: boolean } = {}): Promise<DataBlob> {
    const raw = await this.backend.readChunk(digest, { bypassCache: opts.bypassCache });
    return DataBlob.load(raw, this.what(digest));
  }

  statChunk(digest: Digest): Promise<ChunkFileStat | undefined> {
    return this.backend.statChunk(digest);
  }

  /** cond_touch_chunk: updates the atime; false if the chunk does not exist. */
  touchChunk(digest: Digest): Promise<boolean> {
    return this.locks.run(digest, () => this.backend.touchChunk(digest));
  }

  /**
   * GC phase 1 for one digest: touch the chunk; if it is missing, touch its `.bad` copies so they
   * survive; with `markExpected` (object stores), leave a `.using` marker for an unseen chunk.
   */
  async markChunk(digest: Digest, opts: { markExpected?: boolean } = {}): Promise<ChunkMark> {
    // The common case needs no lock: GC's mark phase never overlaps its own sweep, and a
    // concurrent insert only makes the chunk younger. Missing chunks take the locked path.
    if (await this.backend.touchChunk(digest)) return 'chunk';
    return this.locks.run(digest, async () => {
      if (await this.backend.touchChunk(digest)) return 'chunk';
      let bad = false;
      for (let n = 0; n <= MAX_BAD_INDEX; n++) {
        if (await this.backend.touchChunk(badChunkFileName(digest, n))) bad = true;
      }
      if (bad) return 'bad';
      if (!opts.markExpected) return 'missing';
      await this.backend.writeChunk(usingMarkerFileName(digest), Buffer.alloc(0), { overwrite: true });
      return 'expected';
    });
  }

  /**
   * Verify found `digest` corrupt: rename it to `<digest>.<n>.bad`, n the first free of 0..9
   * (9 is reused when all exist). Returns the new name, or undefined if the chunk is gone.
   */
  renameCorruptChunk(digest: Digest): Promise<string | undefined> {
    return this.locks.run(digest, async () => {
      let n = 0;
      while (n < MAX_BAD_INDEX && (await this.backend.statChunk(badChunkFileName(digest, n)))) n++;
      const bad = badChunkFileName(digest, n);
      try {
        await this.backend.renameChunk(digest, bad);
      } catch (err) {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return undefined;
        throw err;
      }
      return bad;
    });
  }

  /** Runs `fn` under the mutex of `digest` (what insert, mark and sweep serialise on). */
  withDigestLock<T>(digest: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(digest, fn);
  }

  /** The mutex of `digest` if nobody holds or awaits it (GC on S3 skips busy chunks), else undefined. */
  tryLockDigest(digest: string): (() => void) | undefined {
    return this.locks.tryAcquire(digest);
  }

  /** Every chunk, bad-chunk and `.using` file with size and atime, in prefix order. */
  listChunkFiles(opts: { signal?: AbortSignal } = {}): AsyncIterable<ChunkFileEntry> {
    return this.backend.listChunkFiles(opts);
  }

  /**
   * GC phase 2: yields every listed file with whether it was removed. `shouldRemove` (pure; it
   * may be asked twice) decides from kind, size and atime; a candidate is re-checked under its
   * digest's mutex and removed in batches. Do not operate on this store's chunks from the loop
   * body: locks of a pending batch are held while the generator is suspended. `backend` sweeps
   * another view of the store under the same mutexes (an object store's local cache).
   */
  sweepChunkFiles(
    shouldRemove: (entry: ChunkFileEntry) => boolean,
    opts: SweepOptions & { backend?: StorageBackend } = {},
  ): AsyncGenerator<SweepOutcome> {
    return sweepChunkFiles(opts.backend ?? this.backend, this.locks, shouldRemove, opts);
  }
}
