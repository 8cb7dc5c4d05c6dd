import fsp from 'node:fs/promises';
import path from 'node:path';
import { parseChunkFileName } from './chunk-names.js';
import { errnoOf, toStorageError } from './fs-errors.js';
import type { ChunkFileEntry, ListChunkFilesOptions } from './storage-backend.js';

/*
 * Walks `.chunks/0000` … `.chunks/ffff` in order like PBS's chunk store iterator: missing prefix
 * directories are skipped, names that are not chunk, bad-chunk or `.using` files are ignored,
 * and non-regular files are left out. The entries of one directory are stat'ed together.
 */

const PREFIX_DIR_NAME = /^[0-9a-f]{4}$/;

/** Prefix directories present, ascending: a sparse store is not charged 65536 failing readdirs. */
async function prefixDirs(chunkDir: string): Promise<string[]> {
  const names = await fsp.readdir(chunkDir);
  return names.filter((n) => PREFIX_DIR_NAME.test(n)).sort();
}

async function readPrefixDir(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch (err) {
    const errno = errnoOf(err);
    if (errno === 'ENOENT' || errno === 'ENOTDIR') return [];
    throw err;
  }
}

async function statEntries(dir: string, names: string[]): Promise<ChunkFileEntry[]> {
  const entries = await Promise.all(
    names.map(async (name): Promise<ChunkFileEntry | undefined> => {
      const parsed = parseChunkFileName(name);
      if (!parsed) return undefined;
      const st = await fsp.lstat(path.join(dir, name)).catch((err: unknown) => {
        if (errnoOf(err) === 'ENOENT') return undefined; // removed while we listed
        throw err;
      });
      if (!st?.isFile()) return undefined;
      return { name, ...parsed, isFile: true, size: st.size, atimeMs: st.atimeMs, mtimeMs: st.mtimeMs };
    }),
  );
  return entries.filter((e): e is ChunkFileEntry => e !== undefined);
}

export async function* listLocalChunkFiles(
  chunkDir: string,
  storage: string,
  opts: ListChunkFilesOptions = {},
): AsyncGenerator<ChunkFileEntry> {
  const what = (dir: string) => `storage '${storage}': unable to list chunk directory '${dir}'`;
  opts.signal?.throwIfAborted();
  let prefixes: string[];
  try {
    prefixes = await prefixDirs(chunkDir);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return;
    throw toStorageError(err, what(chunkDir));
  }
  for (const prefix of prefixes) {
    opts.signal?.throwIfAborted();
    const dir = path.join(chunkDir, prefix);
    let entries: ChunkFileEntry[];
    try {
      entries = await statEntries(dir, await readPrefixDir(dir));
    } catch (err) {
      throw toStorageError(err, what(dir));
    }
    yield* entries;
  }
}
