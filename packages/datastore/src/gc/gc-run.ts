import path from 'node:path';
import { AppError, toAppError } from '@pbs/api-types/errors';
import { isS3Backend, type S3Backend } from '@pbs/storage';
import type { DatastoreCore } from '../datastore-core.js';
import type { Datastore } from '../datastore.js';
import { DEFAULT_TUNING } from '../datastore-core.js';
import type { OperationContext } from '../operation-context.js';
import { checkAtimeUpdates } from './atime-check.js';
import { markUsedChunks } from './gc-mark.js';
import { emptyGcStatus, writeGcStatus, type GcStatus } from './gc-status.js';
import { sweepS3Chunks } from './gc-s3-sweep.js';
import { sweepUnusedChunks } from './gc-sweep.js';
import { formatHumanByte, formatTimeSpan, rfc3339Utc } from './human-format.js';

/*
 * Garbage collection (garbage_collection, garbage_collection_impl; pbs-formats §6):
 *  1. one GC per datastore in this process (BUSY "garbage collection already running"), and the
 *     chunk store lock exclusively (BUSY while another process has backups running);
 *  2. phase1_start = now, oldest_writer = start of this process's oldest running backup;
 *  3. the atime safety check; min_atime = phase1_start - cutoff, or oldest_writer - 5 min if
 *     that writer is older;
 *  4. phase 1 marks, phase 2 sweeps; the status goes to `.gc-status`.
 * On S3 the bucket must answer HEAD first, phase 1 leaves `.using` markers for referenced
 * chunks the cache lacks, phase 2 sweeps the bucket (gc-s3-sweep.ts) and phase 3 the cache.
 * Chunks inserted during the run carry atimes ≥ phase1_start > min_atime, chunks inserted by a
 * backup started before it carry atimes ≥ oldest_writer > min_atime, and the sweep re-checks
 * each candidate under its digest lock: neither can be removed.
 */

const running = new Set<string>();
const WRITER_SAFETY_GAP = 300;

function logSummary(ctx: OperationContext, s: GcStatus): void {
  const cache = s.cacheStats;
  if (cache && cache.hits + cache.misses > 0) {
    ctx.log(
      `Chunk cache: hits ${cache.hits}, misses ${cache.misses} (hit ratio ${((cache.hits * 100) / (cache.hits + cache.misses)).toFixed(2)}%)`,
    );
  }
  ctx.log(`Removed garbage: ${formatHumanByte(s.removedBytes)}`);
  ctx.log(`Removed chunks: ${s.removedChunks}`);
  if (s.pendingBytes > 0)
    ctx.log(`Pending removals: ${formatHumanByte(s.pendingBytes)} (in ${s.pendingChunks} chunks)`);
  if (s.removedBad > 0) ctx.log(`Removed bad chunks: ${s.removedBad}`);
  if (s.stillBad > 0) ctx.log(`Leftover bad chunks: ${s.stillBad}`);
  ctx.log(`Original data usage: ${formatHumanByte(s.indexDataBytes)}`);
  if (s.indexDataBytes > 0) {
    ctx.log(
      `On-Disk usage: ${formatHumanByte(s.diskBytes)} (${((s.diskBytes * 100) / s.indexDataBytes).toFixed(2)}%)`,
    );
  }
  ctx.log(`On-Disk chunks: ${s.diskChunks}`);
  const dedup = s.diskBytes > 0 ? s.indexDataBytes / s.diskBytes : 1;
  ctx.log(`Deduplication factor: ${dedup.toFixed(2)}`);
  if (s.diskChunks > 0)
    ctx.log(`Average chunk size: ${formatHumanByte(Math.floor(s.diskBytes / s.diskChunks))}`);
}

async function atimeCheck(core: DatastoreCore, ctx: OperationContext): Promise<void> {
  if (!core.tuning.gcAtimeSafetyCheck) {
    ctx.log('Access time update check disabled by datastore tuning options.');
    return;
  }
  await checkAtimeUpdates(core, ctx.signal);
  ctx.log('Access time update check successful, proceeding with GC.');
}

/** S3: the bucket must answer HEAD before anything is marked (PBS "failed to reach bucket"). */
async function reachBucket(backend: S3Backend): Promise<void> {
  try {
    await backend.client.headBucket();
  } catch (err) {
    const cause = toAppError(err);
    throw new AppError(cause.code, `garbage collection: failed to reach bucket: ${cause.message}`, { cause });
  }
}

async function collect(core: DatastoreCore, ctx: OperationContext & { upid: string }): Promise<GcStatus> {
  const phase1Start = core.nowSec();
  const oldestWriter = core.processLocker.oldestShared() ?? phase1Start;
  const status: GcStatus = { ...emptyGcStatus(ctx.upid), cacheStats: { hits: 0, misses: 0 } };
  if (isS3Backend(core.backend)) await reachBucket(core.backend);
  await atimeCheck(core, ctx);
  const cutoff = core.tuning.gcAtimeCutoffMinutes * 60;
  let minAtime = phase1Start - cutoff;
  ctx.log(
    `Using access time cutoff ${formatTimeSpan(cutoff)}, minimum access time is ${rfc3339Utc(minAtime)}`,
  );
  if (oldestWriter < minAtime) {
    minAtime = oldestWriter - WRITER_SAFETY_GAP;
    ctx.log(
      `Oldest backup writer started at ${rfc3339Utc(oldestWriter)}, extending minimum access time to ${rfc3339Utc(minAtime)}`,
    );
  }
  if (core.tuning.gcCacheCapacity !== DEFAULT_TUNING.gcCacheCapacity) {
    ctx.log(`Using chunk digest cache capacity of ${core.tuning.gcCacheCapacity}.`);
  }
  ctx.log('Start GC phase1 (mark used chunks)');
  const lru = await markUsedChunks(core, status, ctx);
  status.cacheStats = { hits: lru?.hits ?? 0, misses: lru?.misses ?? 0 };
  ctx.log('Start GC phase2 (sweep unused chunks)');
  const s3 = isS3Backend(core.backend) ? core.backend : undefined;
  if (s3) {
    await sweepS3Chunks(core, s3, status, { minAtime, oldestWriter }, ctx);
    // the filesystem sweep of the cache removes stale markers, `.using` and bad files; its
    // counters say nothing about the bucket and are dropped, as in PBS
    ctx.log('Start GC phase3 (sweep unused chunk markers)');
    await sweepUnusedChunks(core, emptyGcStatus(ctx.upid), { minAtime, oldestWriter }, ctx, {
      backend: s3.cache,
      phase: 'phase 3: sweeping the local cache',
    });
  } else {
    await sweepUnusedChunks(core, status, { minAtime, oldestWriter }, ctx);
  }
  logSummary(ctx, status);
  await writeGcStatus(core.backend, status).catch((err: unknown) => {
    ctx.warn(`unable to write .gc-status: ${err instanceof Error ? err.message : String(err)}`);
  });
  return status;
}

/** Runs GC on the datastore; the status is also written to `.gc-status`. */
export async function runGarbageCollection(
  core: Datastore,
  ctx: OperationContext & { upid: string },
): Promise<GcStatus> {
  const key = path.resolve(core.backend.localBase);
  if (running.has(key)) {
    throw new AppError('BUSY', `datastore '${core.name}': garbage collection already running`);
  }
  running.add(key);
  try {
    const exclusive = await core.processLocker.acquireExclusive();
    try {
      return await collect(core, ctx);
    } finally {
      await exclusive.release();
    }
  } finally {
    running.delete(key);
  }
}
