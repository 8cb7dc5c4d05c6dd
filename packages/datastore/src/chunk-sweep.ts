import type { ChunkFileEntry, StorageBackend } from '@pbs/storage';
import type { KeyedMutex } from './keyed-mutex.js';

/*
 * The sweep loop of GC phase 2 (sweep_unused_chunks), decision left to the caller. Listing is
 * unlocked; a removal candidate is stat'ed again under its digest's mutex (a concurrent insert
 * may have touched it since), and its lock is held until its batch is removed. Batches suit
 * object stores (DeleteObjects takes up to 1000 keys; PBS sends 100).
 */

export interface SweepOptions {
  readonly signal?: AbortSignal;
  /** removals per backend call (default 100) */
  readonly batchSize?: number;
}

export interface SweepOutcome {
  /** the file as last seen (size and atime re-read for removal candidates) */
  readonly entry: ChunkFileEntry;
  readonly removed: boolean;
}

interface Pending {
  readonly entry: ChunkFileEntry;
  readonly release: () => void;
}

async function recheck(backend: StorageBackend, listed: ChunkFileEntry): Promise<ChunkFileEntry | undefined> {
  const st = await backend.statChunk(listed.name);
  if (!st?.isFile) return undefined;
  return { ...listed, size: st.size, atimeMs: st.atimeMs, mtimeMs: st.mtimeMs };
}

export async function* sweepChunkFiles(
  backend: StorageBackend,
  locks: KeyedMutex,
  shouldRemove: (entry: ChunkFileEntry) => boolean,
  opts: SweepOptions,
): AsyncGenerator<SweepOutcome> {
  const batchSize = opts.batchSize ?? 100;
  const pending: Pending[] = [];
  const held = new Set<string>();

  async function* flush(): AsyncGenerator<SweepOutcome> {
    if (pending.length === 0) return;
    const batch = pending.splice(0);
    try {
      await backend.removeChunkFiles(batch.map((p) => p.entry.name));
    } finally {
      for (const p of batch) p.release();
      held.clear();
    }
    for (const p of batch) yield { entry: p.entry, removed: true };
  }

  try {
    for await (const listed of backend.listChunkFiles({ signal: opts.signal })) {
      if (!shouldRemove(listed)) {
        yield { entry: listed, removed: false };
        continue;
      }
      if (held.has(listed.digest)) yield* flush(); // `<d>` and `<d>.0.bad` share one lock
      const release = await locks.acquire(listed.digest);
      let entry: ChunkFileEntry | undefined;
      try {
        entry = await recheck(backend, listed);
      } catch (err) {
        release();
        throw err;
      }
      if (!entry || !shouldRemove(entry)) {
        release();
        if (entry) yield { entry, removed: false };
        continue;
      }
      pending.push({ entry, release });
      held.add(entry.digest);
      if (pending.length >= batchSize) yield* flush();
    }
    yield* flush();
  } finally {
    for (const p of pending) p.release();
  }
}
