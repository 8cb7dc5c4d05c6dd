import type { ChunkFileEntry, StorageBackend } from '@pbs/storage';
import { CHUNK_PREFIX_COUNT } from '@pbs/storage';
import type { DatastoreCore } from '../datastore-core.js';
import type { OperationContext } from '../operation-context.js';
import type { GcStatus } from './gc-status.js';

/*
 * GC phase 2 (sweep_unused_chunks, cond_sweep_chunk), pbs-formats §6.3: every chunk file whose
 * atime (whole seconds) is older than min_atime goes; `.using` markers always go. The chunk
 * store re-checks each candidate under its digest's mutex right before removing it, so a chunk
 * that a backup inserts or finds as a duplicate during the sweep (which sets its atime to now)
 * is kept. Counters:
 *   removed                    removed-bad or removed-chunks, removed-bytes
 *   kept, atime < oldest writer still-bad or pending-chunks, pending-bytes
 *   kept otherwise             disk-chunks (not for bad ones), disk-bytes
 */

export interface SweepCutoffs {
  /** epoch seconds: older chunks are removed */
  readonly minAtime: number;
  /** epoch seconds: younger chunks are in use, older ones pending */
  readonly oldestWriter: number;
}

export const atimeSec = (e: { atimeMs: number }) => Math.floor(e.atimeMs / 1000);

export function account(
  status: GcStatus,
  entry: { kind: string; size: number; atimeMs: number },
  removed: boolean,
  cut: SweepCutoffs,
): void {
  const bad = entry.kind === 'bad';
  if (removed) {
    if (bad) status.removedBad++;
    else status.removedChunks++;
    status.removedBytes += entry.size;
  } else if (atimeSec(entry) < cut.oldestWriter) {
    if (bad) status.stillBad++;
    else status.pendingChunks++;
    status.pendingBytes += entry.size;
  } else {
    if (!bad) status.diskChunks++;
    status.diskBytes += entry.size;
  }
}

export async function sweepUnusedChunks(
  core: DatastoreCore,
  status: GcStatus,
  cut: SweepCutoffs,
  ctx: OperationContext,
  opts: { backend?: StorageBackend; phase?: string } = {},
): Promise<void> {
  const shouldRemove = (e: ChunkFileEntry) => e.kind === 'using' || atimeSec(e) < cut.minAtime;
  const phase = opts.phase ?? 'phase 2: sweeping unused chunks';
  let chunkCount = 0;
  let lastPercentage = 0;
  for await (const { entry, removed } of core.chunkStore.sweepChunkFiles(shouldRemove, {
    signal: ctx.signal,
    backend: opts.backend,
  })) {
    if (entry.kind === 'using') continue;
    chunkCount++;
    account(status, entry, removed, cut);
    const prefixesDone = Number.parseInt(entry.digest.slice(0, 4), 16) + 1;
    const percentage = Math.floor((prefixesDone * 100) / CHUNK_PREFIX_COUNT);
    if (percentage > lastPercentage) {
      lastPercentage = percentage;
      ctx.log(`processed ${percentage}% (${chunkCount} chunks)`);
      ctx.progress({
        phase,
        itemsDone: prefixesDone,
        itemsTotal: CHUNK_PREFIX_COUNT,
        fraction: prefixesDone / CHUNK_PREFIX_COUNT,
      });
    }
  }
  ctx.progress({
    phase,
    itemsDone: CHUNK_PREFIX_COUNT,
    itemsTotal: CHUNK_PREFIX_COUNT,
    fraction: 1,
  });
}
