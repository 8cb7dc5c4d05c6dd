import { toAppError } from '@pbs/api-types/errors';
import type { TaskProgress } from '@pbs/api-types/domain';

/** What a sync takes from its worker task (structurally a @pbs/tasks TaskContext). */
export interface SyncContext {
  readonly signal: AbortSignal;
  readonly clock: { now(): number };
  log(message: string): void;
  warn(message: string): void;
  progress(update: Partial<TaskProgress>): void;
}

/** Counters of one sync run; the task log's summary and the tests read them. */
export interface SyncStats {
  namespaces: number;
  groups: number;
  groupsFailed: number;
  snapshots: number;
  snapshotsFailed: number;
  /** chunks transferred (downloaded for a pull, uploaded for a push) */
  chunksTransferred: number;
  /** encoded bytes of those chunks */
  chunkBytes: number;
  /** chunks the target already had */
  chunksExisting: number;
  /** all bytes transferred: chunks, indexes, blobs, manifests */
  bytes: number;
  removedSnapshots: number;
  removedGroups: number;
  removedNamespaces: number;
}

export function emptyStats(): SyncStats {
  return {
    namespaces: 0,
    groups: 0,
    groupsFailed: 0,
    snapshots: 0,
    snapshotsFailed: 0,
    chunksTransferred: 0,
    chunkBytes: 0,
    chunksExisting: 0,
    bytes: 0,
    removedSnapshots: 0,
    removedGroups: 0,
    removedNamespaces: 0,
  };
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(2)} ${units[unit]}`;
}

/** '12.34 MiB/s over 5.0 s' */
export function rateText(bytes: number, elapsedMs: number): string {
  const seconds = Math.max(elapsedMs, 1) / 1000;
  return `${formatBytes(bytes / seconds)}/s over ${seconds.toFixed(1)} s`;
}

export function describeGroup(ns: string, group: { type: string; id: string }): string {
  return `${ns === '' ? '' : `ns ${ns}: `}${group.type}/${group.id}`;
}

export function describeSnapshot(ns: string, snap: { type: string; id: string; time: number }): string {
  const time = new Date(snap.time * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `${describeGroup(ns, snap)}/${time}`;
}

/** Runs `fn` over `items` with at most `limit` in flight; the first failure stops new work. */
export async function mapLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw toAppError(failure);
}
