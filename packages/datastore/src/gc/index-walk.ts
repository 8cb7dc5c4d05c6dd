import { AppError } from '@pbs/api-types/errors';
import type { DatastoreCore } from '../datastore-core.js';
import { archiveKindOf } from '../hierarchy/archive-name.js';
import { mapLimit } from '../map-limit.js';

/*
 * GC phase 1 starts from every index file in the datastore, wherever it is (list_index_files):
 * a walk that skips hidden entries (and so `.chunks`), ignores entries that vanish meanwhile,
 * and fails on anything else — a directory GC cannot read could hold the only reference to a
 * chunk. PBS tolerates an unreadable `lost+found` directly below the datastore; so do we.
 */

const WALK_CONCURRENCY = 8;

function isIndexFile(name: string): boolean {
  const kind = archiveKindOf(name);
  return kind === 'fixed' || kind === 'dynamic';
}

async function listOrSkip(
  core: DatastoreCore,
  dir: string,
): Promise<Awaited<ReturnType<DatastoreCore['backend']['listDir']>> | undefined> {
  try {
    return await core.backend.listDir(dir);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return undefined; // vanished
    if (dir === 'lost+found') return undefined;
    throw new AppError(
      err instanceof AppError ? err.code : 'INTERNAL',
      `cannot continue garbage collection safely, unable to read '${dir}': ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}

/** Paths (relative to the datastore) of every `.fidx` and `.didx` file. */
export async function listIndexFiles(core: DatastoreCore, signal: AbortSignal): Promise<Set<string>> {
  const found = new Set<string>();
  async function walk(dir: string): Promise<void> {
    signal.throwIfAborted();
    const entries = await listOrSkip(core, dir);
    if (!entries) return;
    const subdirs: string[] = [];
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const path = dir === '' ? e.name : `${dir}/${e.name}`;
      if (e.kind === 'dir') subdirs.push(path);
      else if (e.kind === 'file' && isIndexFile(e.name)) found.add(path);
    }
    await mapLimit(subdirs, WALK_CONCURRENCY, walk);
  }
  await walk('');
  return found;
}
