import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '@pbs/api-types/errors';
import type { ChunkFileStat } from '@pbs/storage';
import { ZERO_CHUNK_DIGEST } from '../chunk-store.js';
import type { DatastoreCore } from '../datastore-core.js';

/*
 * GC's atime safety check (check_fs_atime_updates, pbs-formats §6.1.6): GC must not run on a
 * store where marking a chunk does not move its atime, or it would sweep live chunks.
 *
 * PBS touches the zero chunk, sleeps one second (kernel timestamp granularity) and checks that a
 * second touch moved the atime. Here a touch sets the atime to the injected clock's time
 * explicitly (not UTIME_NOW), so no granularity is involved: the check waits only until the
 * clock reads at least 2 ms past the chunk's current atime (never, when the chunk was last
 * marked at an earlier clock time — the usual case; a few ms on a live clock otherwise), touches
 * it and requires the atime to have increased, which proves the store honours the mark.
 * Filesystems with whole-second timestamps get one retry after the clock passes the next full
 * second, which is PBS's one-second sleep.
 */

const MIN_GAP_MS = 2;
const MAX_WAIT_MS = 2500;

async function waitForClock(core: DatastoreCore, targetMs: number, signal: AbortSignal): Promise<void> {
  const deadline = performance.now() + MAX_WAIT_MS;
  while (core.clock.now() < targetMs) {
    signal.throwIfAborted();
    if (performance.now() > deadline) {
      throw new AppError(
        'INTERNAL',
        'atime safety check failed: the clock did not advance past the chunk access time',
      );
    }
    await sleep(MIN_GAP_MS);
  }
}

async function statZero(core: DatastoreCore): Promise<ChunkFileStat> {
  const st = await core.chunkStore.statChunk(ZERO_CHUNK_DIGEST);
  if (!st?.isFile) throw new AppError('INTERNAL', 'atime safety check failed: zero chunk vanished');
  return st;
}

/**
 * The port has no inode numbers: a replaced file shows as a changed size or mtime. A touch
 * writes the mtime back through a double, so sub-millisecond noise is no change.
 */
function replaced(a: ChunkFileStat, b: ChunkFileStat): boolean {
  return Math.abs(a.mtimeMs - b.mtimeMs) >= 1 || a.size !== b.size;
}

/** One touch after the clock passed `notBeforeMs`: whether the atime moved, and the new stat. */
async function touchMoves(
  core: DatastoreCore,
  before: ChunkFileStat,
  notBeforeMs: number,
  signal: AbortSignal,
): Promise<{ moved: boolean; after: ChunkFileStat }> {
  await waitForClock(core, notBeforeMs, signal);
  await core.chunkStore.touchChunk(ZERO_CHUNK_DIGEST);
  const after = await statZero(core);
  return { moved: after.atimeMs > before.atimeMs, after };
}

/** Throws (and so aborts GC) unless marking a chunk demonstrably moves its atime. */
export async function checkAtimeUpdates(
  core: DatastoreCore,
  signal: AbortSignal,
  retryOnChange = true,
): Promise<void> {
  let before = await core.chunkStore.statChunk(ZERO_CHUNK_DIGEST);
  const preExisting = before?.isFile === true && before.size > 0;
  if (!preExisting) {
    await core.chunkStore.insertZeroChunk();
    before = await statZero(core);
  }
  const start = before as ChunkFileStat;
  let { moved, after } = await touchMoves(core, start, start.atimeMs + MIN_GAP_MS, signal);
  if (replaced(start, after)) {
    // another writer replaced the file between the stats: check once more on the new file
    if (retryOnChange) return checkAtimeUpdates(core, signal, false);
    throw new AppError('INTERNAL', 'atime safety check failed: zero chunk changed twice during the check');
  }
  if (!moved) {
    ({ moved, after } = await touchMoves(
      core,
      after,
      (Math.floor(after.atimeMs / 1000) + 1) * 1000 + MIN_GAP_MS,
      signal,
    ));
  }
  if (!moved) {
    throw new AppError(
      'INTERNAL',
      `access time safety check using ${preExisting ? 'pre-existing' : 'newly inserted'} chunk failed, aborting GC!`,
      {
        details: { atimeBefore: start.atimeMs, atimeAfter: after.atimeMs },
      },
    );
  }
}
