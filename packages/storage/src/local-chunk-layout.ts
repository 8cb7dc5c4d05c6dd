import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { AppError } from '@pbs/api-types/errors';
import { CHUNK_DIR, CHUNK_PREFIX_COUNT, LOCK_FILE, prefixDirName } from './chunk-names.js';
import { errnoOf } from './fs-errors.js';
import type { InitChunkStoreOptions } from './storage-backend.js';

/*
 * The 65536 prefix directories are created with synchronous mkdir in batches: the kernel
 * serialises creations in one parent directory, so the thread pool only adds overhead (measured:
 * 3 s synchronous vs 8–16 s with 4–64 parallel async mkdirs). Yielding between batches keeps
 * the event loop responsive while a datastore is created.
 */

const BATCH = 1024;
const DIR_MODE = 0o750;
const LOCK_MODE = 0o644;

function mkdirTolerant(dir: string, existingOk: boolean): void {
  try {
    fs.mkdirSync(dir, DIR_MODE);
  } catch (err) {
    if (!(existingOk && errnoOf(err) === 'EEXIST')) throw err;
  }
}

/** The umask may strip bits from 0750; PBS sets the mode explicitly, so repair it if needed. */
function needsChmod(dir: string): boolean {
  return (fs.statSync(dir).mode & 0o777) !== DIR_MODE;
}

async function createPrefixDirs(chunkDir: string, opts: InitChunkStoreOptions): Promise<void> {
  const existingOk = opts.existingOk ?? false;
  // completing a layout must not pay for 65536 failing mkdirs
  const existing = new Set(existingOk ? await fsp.readdir(chunkDir) : []);
  let chmod: boolean | undefined;
  for (let start = 0; start < CHUNK_PREFIX_COUNT; start += BATCH) {
    opts.signal?.throwIfAborted();
    for (let i = start; i < start + BATCH; i++) {
      const name = prefixDirName(i);
      if (existing.has(name)) continue;
      const dir = path.join(chunkDir, name);
      mkdirTolerant(dir, existingOk);
      chmod ??= needsChmod(dir);
      if (chmod) fs.chmodSync(dir, DIR_MODE);
    }
    opts.onProgress?.((start + BATCH) / CHUNK_PREFIX_COUNT);
    await yieldToEventLoop();
  }
}

export async function createChunkLayout(base: string, opts: InitChunkStoreOptions = {}): Promise<void> {
  const chunkDir = path.join(base, CHUNK_DIR);
  await fsp.mkdir(base, { recursive: true });
  mkdirTolerant(chunkDir, opts.existingOk ?? false);
  await fsp.chmod(chunkDir, DIR_MODE);
  // 'a' creates a missing lock file but never replaces one another process may hold locks on
  const lock = await fsp.open(path.join(base, LOCK_FILE), 'a', LOCK_MODE);
  await lock.close();
  await createPrefixDirs(chunkDir, opts);
}

/** NOT_FOUND unless `.chunks` is a directory and `.lock` a file (what PBS's open requires). */
export async function checkChunkLayout(base: string, storage: string): Promise<void> {
  const missing = (what: string) =>
    new AppError('NOT_FOUND', `storage '${storage}': no chunk store at '${base}' (${what})`);
  const chunkDir = await fsp.stat(path.join(base, CHUNK_DIR)).catch(() => undefined);
  if (!chunkDir?.isDirectory()) throw missing(`missing ${CHUNK_DIR} directory`);
  const lock = await fsp.stat(path.join(base, LOCK_FILE)).catch(() => undefined);
  if (!lock?.isFile()) throw missing(`missing ${LOCK_FILE} file`);
}
