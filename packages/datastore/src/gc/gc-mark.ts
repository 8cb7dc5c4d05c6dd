import { AppError } from '@pbs/api-types/errors';
import type { DatastoreCore } from '../datastore-core.js';
import type { Digest } from '../digest.js';
import { archiveKindOf } from '../hierarchy/archive-name.js';
import { snapshotDir, type BackupGroupRef } from '../hierarchy/backup-ref.js';
import { listGroupRefs, listNamespacesRecursive, listSnapshotEntries } from '../hierarchy/listing.js';
import { clampMaxDepth } from '../hierarchy/namespace.js';
import type { IndexFile } from '../index-file.js';
import { mapLimit } from '../map-limit.js';
import { drainMoveJournal } from '../move-journal.js';
import type { OperationContext } from '../operation-context.js';
import { decodeIndex } from '../snapshot-files.js';
import { DigestLru } from './digest-lru.js';
import type { GcStatus } from './gc-status.js';
import { listIndexFiles } from './index-walk.js';

/*
 * GC phase 1 (mark_used_chunks): touch every chunk referenced by any index file. The hierarchy
 * is walked namespace → group → snapshot, newest snapshot first; if the newest snapshot's index
 * vanished (pruned after a newer backup appeared), the group is listed again, up to 10 times,
 * then once more under the group lock. Index files found by the directory walk but not through
 * the hierarchy are marked too, with a warning; finally the move journal is drained. A chunk
 * that is missing gets its `.bad` copies touched so they survive while referenced.
 */

const MARK_CONCURRENCY = 16;
const MAX_RETRIES = 10;

interface MarkRun {
  readonly core: DatastoreCore;
  readonly ctx: OperationContext;
  readonly status: GcStatus;
  readonly lru: DigestLru | undefined;
  readonly unprocessed: Set<string>;
  readonly markExpected: boolean;
  indexCount: number;
  processed: number;
  lastPercentage: number;
}

async function openIndex(core: DatastoreCore, path: string): Promise<IndexFile | undefined> {
  let raw: Buffer;
  try {
    raw = await core.backend.readFile(path);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return undefined; // vanished: pruned
    throw err;
  }
  return decodeIndex(raw, archiveKindOf(path) === 'fixed', path);
}

async function markIndex(run: MarkRun, index: IndexFile, path: string): Promise<void> {
  run.status.indexFileCount++;
  run.status.indexDataBytes += index.indexBytes;
  const todo: Digest[] = [];
  for (const digest of index.digests()) {
    if (run.lru?.touch(digest)) continue;
    todo.push(digest);
  }
  await mapLimit(todo, MARK_CONCURRENCY, async (digest, i) => {
    if ((i & 1023) === 0) run.ctx.signal.throwIfAborted();
    // an object store's cache may lack the file of a chunk that is in the bucket: leave a
    // `.using` marker, which GC phase 2 reads as "referenced" (pbs-formats §6.4)
    const mark = await run.core.chunkStore.markChunk(digest, { markExpected: run.markExpected });
    // PBS warns whether or not `.bad` copies were found (and touched)
    if (mark === 'missing' || mark === 'bad') {
      run.ctx.warn(`warning: unable to access non-existent chunk ${digest}, required by '${path}'`);
    }
  });
}

function countProcessed(run: MarkRun, path: string): void {
  if (!run.unprocessed.delete(path)) {
    run.ctx.log(`Encountered new index file '${path}', increment total index file count`);
    run.indexCount++;
  }
  run.processed++;
  const percentage = Math.floor((run.processed * 100) / Math.max(run.indexCount, 1));
  if (percentage > run.lastPercentage) {
    run.ctx.log(`marked ${percentage}% (${run.processed} of ${run.indexCount} index files)`);
    run.lastPercentage = percentage;
  }
  run.ctx.progress({
    phase: 'phase 1: marking used chunks',
    itemsDone: run.processed,
    itemsTotal: run.indexCount,
    fraction: Math.min(1, run.processed / Math.max(run.indexCount, 1)),
  });
}

/** One pass over a group, newest snapshot first; false if its newest index vanished. */
async function markGroupOnce(run: MarkRun, ns: readonly string[], group: BackupGroupRef): Promise<boolean> {
  const entries = (await listSnapshotEntries(run.core, ns, group)).reverse();
  for (const [count, entry] of entries.entries()) {
    for (const file of entry.files) {
      if (archiveKindOf(file) === 'blob') continue;
      run.ctx.signal.throwIfAborted();
      const path = `${snapshotDir(ns, { ...group, time: entry.time })}/${file}`;
      const index = await openIndex(run.core, path);
      if (!index) {
        run.unprocessed.delete(path);
        if (count === 0) return false;
        continue;
      }
      await markIndex(run, index, path);
      countProcessed(run, path);
    }
  }
  return true;
}

async function markGroup(run: MarkRun, ns: readonly string[], group: BackupGroupRef): Promise<void> {
  for (let retry = 0; retry < MAX_RETRIES; retry++) {
    if (await markGroupOnce(run, ns, group)) return;
  }
  const lock = await run.core.locks.lockGroup(ns, group).catch((err: unknown) => {
    throw new AppError('BUSY', 'exhausted retries and failed to lock group', { cause: err });
  });
  try {
    await markGroupOnce(run, ns, group);
  } finally {
    lock.release();
  }
}

async function markLeftovers(run: MarkRun): Promise<void> {
  let strange = 0;
  for (const path of run.unprocessed) {
    const index = await openIndex(run.core, path);
    if (!index) continue; // vanished (pruned) snapshots are not strange
    await markIndex(run, index, path);
    strange++;
    run.ctx.warn(`Marked chunks for unexpected index file at '${path}'`);
  }
  if (strange > 0) run.ctx.warn(`Found ${strange} index files outside of expected directory scheme`);
}

export async function markUsedChunks(
  core: DatastoreCore,
  status: GcStatus,
  ctx: OperationContext,
): Promise<DigestLru | undefined> {
  const unprocessed = await listIndexFiles(core, ctx.signal);
  const capacity = core.tuning.gcCacheCapacity;
  const run: MarkRun = {
    core,
    ctx,
    status,
    lru: capacity > 0 ? new DigestLru(capacity) : undefined,
    unprocessed,
    markExpected: !core.backend.capabilities.local,
    indexCount: unprocessed.size,
    processed: 0,
    lastPercentage: 0,
  };
  for (const ns of await listNamespacesRecursive(core, [], clampMaxDepth([]))) {
    for (const group of await listGroupRefs(core, ns)) await markGroup(run, ns, group);
  }
  await markLeftovers(run);
  await drainMoveJournal(core.locks.lockDir, async (path) => {
    if (archiveKindOf(path) !== 'fixed' && archiveKindOf(path) !== 'dynamic') return;
    const index = await openIndex(core, path);
    if (index) await markIndex(run, index, path);
  });
  return run.lru;
}
