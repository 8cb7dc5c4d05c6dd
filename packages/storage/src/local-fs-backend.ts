import { execFile } from 'node:child_process';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '@pbs/api-types/errors';
import { utimensat } from '@pbs/native';
import { CHUNK_DIR, chunkPrefixOf, requireChunkFileName } from './chunk-names.js';
import { errnoOf, toStorageError, translating } from './fs-errors.js';
import { writeFileAtomic } from './local-atomic-write.js';
import { checkChunkLayout, createChunkLayout } from './local-chunk-layout.js';
import { listLocalChunkFiles } from './local-chunk-listing.js';
import * as content from './local-content.js';
import { LocalFileWriter } from './local-file-writer.js';
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
} from './storage-backend.js';

/**
 * PBS `tuning sync-level`: `file` fsyncs every chunk and its directory, `filesystem` (the PBS
 * default) defers durability to `sync()` (one syncfs when a backup finishes), `none` never syncs.
 * Content files are fsynced unless the level is `none`.
 */
export type SyncLevel = 'none' | 'file' | 'filesystem';

export interface LocalFsBackendOptions {
  /** names the storage in messages, usually the datastore name */
  readonly name: string;
  /** absolute path of the datastore directory */
  readonly base: string;
  readonly syncLevel?: SyncLevel;
  /**
   * Source of mark times. When given, new files also get this time as atime and mtime, so GC
   * tests can move time; without it the kernel's clock is used for new files.
   */
  readonly clock?: { now(): number };
}

const CAPABILITIES: StorageCapabilities = {
  atomicReplace: true,
  consistentListing: true,
  accessTimes: true,
  cheapRename: true,
  local: true,
};

const systemClock = { now: () => Date.now() };

/** The datastore on a local filesystem, laid out exactly as PBS lays it out (pbs-formats §1). */
export class LocalFsBackend implements StorageBackend {
  readonly name: string;
  readonly capabilities = CAPABILITIES;
  readonly localBase: string;
  private readonly chunkDir: string;
  private readonly syncLevel: SyncLevel;
  private readonly clock: { now(): number };
  private readonly content: content.LocalContentContext;

  constructor(opts: LocalFsBackendOptions) {
    if (!path.isAbsolute(opts.base)) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `storage '${opts.name}': expected an absolute path, got '${opts.base}'`,
      );
    }
    this.name = opts.name;
    this.localBase = path.resolve(opts.base);
    this.chunkDir = path.join(this.localBase, CHUNK_DIR);
    this.syncLevel = opts.syncLevel ?? 'filesystem';
    this.clock = opts.clock ?? systemClock;
    const newFileTime = opts.clock ? () => this.clock.now() / 1000 : () => undefined;
    this.content = {
      base: this.localBase,
      storage: this.name,
      sync: this.syncLevel !== 'none',
      timeSec: newFileTime,
    };
  }

  private chunkPath(name: string): string {
    requireChunkFileName(name, this.name);
    return path.join(this.chunkDir, chunkPrefixOf(name), name);
  }

  private chunkWhat(name: string): string {
    return `storage '${this.name}': chunk file ${name}`;
  }

  async initChunkStore(opts: InitChunkStoreOptions = {}): Promise<void> {
    await translating(`storage '${this.name}': unable to create chunk store at '${this.localBase}'`, () =>
      createChunkLayout(this.localBase, opts),
    );
  }

  checkChunkStore(): Promise<void> {
    return checkChunkLayout(this.localBase, this.name);
  }

  async statChunk(name: string): Promise<ChunkFileStat | undefined> {
    const file = this.chunkPath(name);
    try {
      const st = await fsp.lstat(file);
      return { isFile: st.isFile(), size: st.size, atimeMs: st.atimeMs, mtimeMs: st.mtimeMs };
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return undefined;
      throw toStorageError(err, this.chunkWhat(name));
    }
  }

  async readChunk(name: string, opts: ReadChunkOptions = {}): Promise<Buffer> {
    const file = this.chunkPath(name);
    const length = opts.length;
    return translating(this.chunkWhat(name), async () => {
      if (length === undefined) return fsp.readFile(file);
      const handle = await fsp.open(file, 'r');
      try {
        const buf = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buf, 0, length, 0);
        return buf.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    });
  }

  async writeChunk(name: string, data: Uint8Array, _opts: WriteChunkOptions = {}): Promise<boolean> {
    const file = this.chunkPath(name);
    const write = () =>
      writeFileAtomic(file, data, {
        sync: this.syncLevel === 'file',
        timeSec: this.content.timeSec(),
      });
    await translating(this.chunkWhat(name), async () => {
      try {
        await write();
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw err;
        await fsp.mkdir(path.dirname(file), { recursive: true, mode: 0o750 });
        await write();
      }
    });
    return true;
  }

  touchChunk(name: string): Promise<boolean> {
    try {
      const file = this.chunkPath(name);
      // One utimensat(2) with UTIME_OMIT for mtime, as PBS's cond_touch_chunk: GC marks a
      // million chunks this way, so a stat + utimes pair per chunk doubles phase 1.
      const now = this.clock.now();
      const sec = Math.floor(now / 1000);
      utimensat(file, { sec, nsec: Math.round((now - sec * 1000) * 1e6) }, 'omit', { noFollow: true });
      return Promise.resolve(true);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return Promise.resolve(false);
      if (err instanceof AppError) return Promise.reject(err);
      return Promise.reject(toStorageError(err, `${this.chunkWhat(name)}: update atime failed`));
    }
  }

  async renameChunk(from: string, to: string): Promise<void> {
    const src = this.chunkPath(from);
    const dst = this.chunkPath(to);
    if (chunkPrefixOf(from) !== chunkPrefixOf(to)) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `storage '${this.name}': cannot rename ${from} to another prefix`,
      );
    }
    await translating(`${this.chunkWhat(from)}: rename to ${to} failed`, () => fsp.rename(src, dst));
  }

  async removeChunkFiles(names: readonly string[]): Promise<void> {
    const files = names.map((name) => [name, this.chunkPath(name)] as const);
    await Promise.all(
      files.map(async ([name, file]) => {
        try {
          await fsp.unlink(file);
        } catch (err) {
          if (errnoOf(err) !== 'ENOENT') throw toStorageError(err, `${this.chunkWhat(name)}: unlink failed`);
        }
      }),
    );
  }

  listChunkFiles(opts: ListChunkFilesOptions = {}): AsyncIterable<ChunkFileEntry> {
    return listLocalChunkFiles(this.chunkDir, this.name, opts);
  }

  readFile(rel: string): Promise<Buffer> {
    return content.readContentFile(this.content, rel);
  }

  writeFile(rel: string, data: string | Uint8Array, opts?: WriteFileOptions): Promise<void> {
    return content.writeContentFile(this.content, rel, data, opts);
  }

  statFile(rel: string): Promise<ContentStat | undefined> {
    return content.statContentFile(this.content, rel);
  }

  removeFile(rel: string): Promise<boolean> {
    return content.removeContentFile(this.content, rel);
  }

  renameFile(from: string, to: string): Promise<void> {
    return content.renameContentFile(this.content, from, to);
  }

  listDir(rel: string): Promise<ContentEntry[]> {
    return content.listContentDir(this.content, rel);
  }

  createDir(rel: string, opts?: CreateDirOptions): Promise<boolean> {
    return content.createContentDir(this.content, rel, opts);
  }

  removeDir(rel: string, opts?: { recursive?: boolean }): Promise<boolean> {
    return content.removeContentDir(this.content, rel, opts);
  }

  async createFileWriter(rel: string, tempRel: string): Promise<ContentFileWriter> {
    const target = content.resolveContentPath(this.content, rel);
    const temp = content.resolveContentPath(this.content, tempRel);
    if (path.dirname(target) !== path.dirname(temp)) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `storage '${this.name}': temp file of '${rel}' must be in its directory`,
      );
    }
    return LocalFileWriter.open(target, temp, {
      sync: this.content.sync,
      timeSec: this.content.timeSec,
      what: `storage '${this.name}': file '${rel}'`,
    });
  }

  async sync(): Promise<void> {
    if (this.syncLevel !== 'filesystem') return;
    // Node has no syncfs(2); coreutils' `sync -f` is exactly that call on the datastore's fs
    await translating(`storage '${this.name}': syncfs failed`, () =>
      promisify(execFile)('sync', ['-f', this.localBase]),
    );
  }
}
