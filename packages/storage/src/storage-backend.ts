/**
 * The storage port: everything the datastore engine stores, in two namespaces that mirror the
 * PBS S3 key layout (pbs-formats §11.2):
 *
 * - chunk files, addressed by name (`<digest>`, `<digest>.<n>.bad`, `<digest>.using`); a local
 *   store keeps them in `.chunks/<pppp>/`, an object store under `<store>/.chunks/<pppp>/`;
 * - content files, addressed by a relative `/`-separated path below the datastore (`vm/100/owner`,
 *   `ns/a/host/x/<time>/index.json.blob`, `.gc-status`); an object store keeps them under
 *   `<store>/.cnt/<path>`, except datastore-local state (top-level dot files, see
 *   `isLocalStateFile`), which stays in its local cache.
 *
 * The engine reads and writes every byte through this port and never assumes POSIX: what an
 * implementation can promise is declared in `capabilities`.
 */

/** What an implementation promises; the engine adapts to it instead of assuming a filesystem. */
export interface StorageCapabilities {
  /** a write replaces the whole file at once: readers see the old or the new content, never a mix */
  readonly atomicReplace: boolean;
  /** a listing started after a write has completed includes that write */
  readonly consistentListing: boolean;
  /** `touchChunk` records a mark time that `statChunk`/`listChunkFiles` report as `atimeMs` */
  readonly accessTimes: boolean;
  /** renames are O(1) metadata operations, not copies */
  readonly cheapRename: boolean;
  /** all data lives on a local filesystem below `localBase` (syncfs, inode order, mmap are possible) */
  readonly local: boolean;
}

export type ChunkFileKind = 'chunk' | 'bad' | 'using';

export interface ChunkFileStat {
  /** false for anything that is not a regular file (directories, symlinks, sockets) */
  readonly isFile: boolean;
  readonly size: number;
  /** GC mark time in epoch milliseconds (fractional; microsecond precision on local filesystems) */
  readonly atimeMs: number;
  readonly mtimeMs: number;
}

export interface ChunkFileEntry extends ChunkFileStat {
  /** file name: `<digest>`, `<digest>.<n>.bad` or `<digest>.using` */
  readonly name: string;
  /** 64 lowercase hex characters */
  readonly digest: string;
  readonly kind: ChunkFileKind;
}

export type ContentKind = 'file' | 'dir' | 'other';

export interface ContentStat {
  readonly kind: ContentKind;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface ContentEntry {
  readonly name: string;
  readonly kind: ContentKind;
}

export interface InitChunkStoreOptions {
  /** complete an existing layout instead of refusing it (ALREADY_EXISTS) */
  readonly existingOk?: boolean;
  readonly signal?: AbortSignal;
  /** called with the fraction done (0..1) while the prefix directories are created */
  readonly onProgress?: (fraction: number) => void;
}

export interface ReadChunkOptions {
  /** read only the first `length` bytes (e.g. the magic number) */
  readonly length?: number;
  /** read from the authoritative store, not from a cache (verify reads must see the real object) */
  readonly bypassCache?: boolean;
}

export interface WriteChunkOptions {
  /**
   * Replace an existing chunk file. Without it an implementation may keep a chunk that appeared
   * meanwhile (object stores use a conditional PUT) and report `false`.
   */
  readonly overwrite?: boolean;
  /**
   * Keep no cached copy (PBS's `no-cache` backups): an object store uploads the chunk and keeps
   * only what it needs to know the chunk exists. Local stores ignore it.
   */
  readonly noCache?: boolean;
}

export interface WriteFileOptions {
  /** fail with ALREADY_EXISTS instead of replacing an existing file (owner files, markers) */
  readonly exclusive?: boolean;
}

export interface CreateDirOptions {
  /** create missing parent directories too */
  readonly parents?: boolean;
  /** fail with ALREADY_EXISTS if the directory exists */
  readonly exclusive?: boolean;
}

export interface ListChunkFilesOptions {
  readonly signal?: AbortSignal;
}

/**
 * A file being written at random positions (index writers). Nothing is visible under the final
 * path until `commit`; `abort` (or a crash) leaves the final path untouched.
 */
export interface ContentFileWriter {
  write(data: Uint8Array, position: number): Promise<void>;
  truncate(size: number): Promise<void>;
  /** makes the file visible under its final path in one step; the writer is closed afterwards */
  commit(): Promise<void>;
  /** discards the temporary file; safe to call more than once and after a failed commit */
  abort(): Promise<void>;
}

/**
 * Contract every implementation follows (checked by `describeStorageBackendContract`):
 *
 * - Errors are AppErrors: a missing object is NOT_FOUND, a taken name ALREADY_EXISTS, a bad
 *   name or path INVALID_ARGUMENT, a transient backend failure BACKEND_UNAVAILABLE, anything
 *   else INTERNAL. Messages name the storage and the object.
 * - Chunk and content writes are atomic: a crash never leaves partial data under a final name.
 * - Times come from the clock the implementation was built with, so tests can move time.
 * - Names and paths are validated before anything is touched.
 */
export interface StorageBackend {
  /** used in messages ("storage 'store1': chunk 0a1b…: not found") */
  readonly name: string;
  readonly capabilities: StorageCapabilities;
  /**
   * Local directory holding the datastore layout (the datastore itself, or an object store's
   * cache). Process lock files such as `.lock` live here.
   */
  readonly localBase: string;

  /** Creates the chunk store layout: `.chunks`, its 65536 prefix directories and `.lock`. */
  initChunkStore(opts?: InitChunkStoreOptions): Promise<void>;
  /** NOT_FOUND unless the layout created by `initChunkStore` is present. */
  checkChunkStore(): Promise<void>;

  /** Stat of a chunk file, or undefined if there is none. */
  statChunk(name: string): Promise<ChunkFileStat | undefined>;
  /** The stored bytes of a chunk file (NOT_FOUND if missing). */
  readChunk(name: string, opts?: ReadChunkOptions): Promise<Buffer>;
  /**
   * Atomically stores a chunk file; true if it was written. Missing directories are created.
   * A store that is not `local` decides duplicates here (a cached copy, a marker, a conditional
   * PUT) and answers false for a chunk it already had; a local store always writes.
   */
  writeChunk(name: string, data: Uint8Array, opts?: WriteChunkOptions): Promise<boolean>;
  /** Sets the mark time (atime) to now, leaving mtime alone; false if the file does not exist. */
  touchChunk(name: string): Promise<boolean>;
  /** Renames a chunk file within its prefix (e.g. `<digest>` → `<digest>.0.bad`); replaces `to`. */
  renameChunk(from: string, to: string): Promise<void>;
  /** Removes chunk files; missing ones are ignored. Object stores delete in batches. */
  removeChunkFiles(names: readonly string[]): Promise<void>;
  /**
   * Every chunk, bad-chunk and `.using` file, grouped by prefix in ascending prefix order; other
   * names (temp files) and non-regular files are skipped.
   */
  listChunkFiles(opts?: ListChunkFilesOptions): AsyncIterable<ChunkFileEntry>;

  /** Content of a file (NOT_FOUND if missing). */
  readFile(path: string): Promise<Buffer>;
  /** Atomically creates or replaces a file; its directory must exist (NOT_FOUND otherwise). */
  writeFile(path: string, data: string | Uint8Array, opts?: WriteFileOptions): Promise<void>;
  /** Stat of a file or directory; undefined if missing. `''` is the datastore root. */
  statFile(path: string): Promise<ContentStat | undefined>;
  /** Removes a file; false if it did not exist. */
  removeFile(path: string): Promise<boolean>;
  /** Renames a file, replacing `to` (sync downloads `<name>.tmp` → `<name>`). */
  renameFile(from: string, to: string): Promise<void>;
  /** Entries of a directory in no particular order (NOT_FOUND if missing). `''` is the root. */
  listDir(path: string): Promise<ContentEntry[]>;
  /**
   * Creates a directory; true if it was created. Object stores persist only namespace
   * directories (`…ns/<name>`, as a `.namespace` marker); other directories exist through their
   * files.
   */
  createDir(path: string, opts?: CreateDirOptions): Promise<boolean>;
  /** Removes a directory; false if it did not exist. Without `recursive` it must be empty. */
  removeDir(path: string, opts?: { recursive?: boolean }): Promise<boolean>;
  /**
   * Starts a random-access write of `path` through the temp file `tempPath` (same directory),
   * as PBS index writers do with `<name>.tmp_fidx`.
   */
  createFileWriter(path: string, tempPath: string): Promise<ContentFileWriter>;

  /** Makes everything written so far durable (PBS `syncfs` when a backup finishes). */
  sync(): Promise<void>;
}
