import type { S3Backend } from '@pbs/storage';
import { CHUNK_PREFIX_COUNT } from '@pbs/storage';
import type { DatastoreCore } from '../datastore-core.js';
import type { OperationContext } from '../operation-context.js';
import type { GcStatus } from './gc-status.js';
import { account, type SweepCutoffs } from './gc-sweep.js';

/*
 * GC phase 2 on an S3 datastore (pbs-formats §6.4): the bucket is listed (ListObjectsV2, 1000
 * keys a page) and every chunk or bad-chunk object is judged by its cache file, under its
 * digest's mutex taken without waiting (a busy chunk, being uploaded or verified, is left for
 * the next GC):
 *   cache file present      the atime table of the filesystem sweep; removal = cache file and object
 *   only a `.using` marker  referenced, not cached: the marker becomes a cache marker, kept
 *   nothing                 never marked: the object goes
 * Deletions are batched (DeleteObjects of at most 100 keys, or once the oldest queued one waited
 * 5 minutes); each digest's mutex is held until its object is deleted, so an upload of the same
 * chunk waits and then uploads it anew. Chunks a running backup uploads carry cache files (copy
 * or, for no-cache uploads, a marker) stamped at upload time, which is after the oldest writer
 * started and so after min_atime: they stay.
 */

const DELETE_BATCH = 100;
const DELETE_DEFER_MS = 5 * 60 * 1000;

interface Pending {
  readonly name: string;
  readonly digest: string;
  readonly release: () => void;
}

export async function sweepS3Chunks(
  core: DatastoreCore,
  backend: S3Backend,
  status: GcStatus,
  cut: SweepCutoffs,
  ctx: OperationContext,
): Promise<void> {
  const pending: Pending[] = [];
  let queuedSince = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending.splice(0);
    try {
      await backend.removeChunkFiles(batch.map((p) => p.name));
    } finally {
      for (const p of batch) p.release();
    }
  };
  let count = 0;
  let skipped = 0;
  let lastPercentage = 0;
  try {
    for await (const obj of backend.listChunkObjects({ signal: ctx.signal })) {
      // `<d>` and `<d>.<n>.bad` share one mutex: ours, if queued, is released by a flush
      if (pending.some((p) => p.digest === obj.digest)) await flush();
      const release = core.chunkStore.tryLockDigest(obj.digest);
      if (!release) {
        skipped++;
        continue;
      }
      let queued = false;
      try {
        const st = await backend.cache.statChunk(obj.name);
        let atimeMs: number | undefined = st?.isFile ? st.atimeMs : undefined;
        if (atimeMs === undefined && (await backend.adoptExpectedMarker(obj.digest, obj.name))) {
          atimeMs = core.clock.now();
        }
        const remove = atimeMs === undefined || Math.floor(atimeMs / 1000) < cut.minAtime;
        account(status, { kind: obj.kind, size: obj.size, atimeMs: atimeMs ?? 0 }, remove, cut);
        if (remove) {
          if (pending.length === 0) queuedSince = core.clock.now();
          pending.push({ name: obj.name, digest: obj.digest, release });
          queued = true;
        }
      } finally {
        if (!queued) release();
      }
      if (
        pending.length >= DELETE_BATCH ||
        (pending.length > 0 && core.clock.now() - queuedSince >= DELETE_DEFER_MS)
      ) {
        await flush();
      }
      count++;
      const prefixesDone = Number.parseInt(obj.digest.slice(0, 4), 16) + 1;
      const percentage = Math.floor((prefixesDone * 100) / CHUNK_PREFIX_COUNT);
      if (percentage > lastPercentage) {
        lastPercentage = percentage;
        ctx.progress({
          phase: 'phase 2: sweeping unused chunk objects',
          itemsDone: prefixesDone,
          itemsTotal: CHUNK_PREFIX_COUNT,
          fraction: prefixesDone / CHUNK_PREFIX_COUNT,
        });
      }
    }
    await flush();
  } finally {
    for (const p of pending.splice(0)) p.release();
  }
  ctx.log(`processed ${count} total chunks`);
  if (skipped > 0) ctx.log(`skipped ${skipped} chunks in use by a concurrent operation`);
}
