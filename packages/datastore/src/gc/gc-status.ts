import { AppError } from '@pbs/api-types/errors';
import type { StorageBackend } from '@pbs/storage';

/*
 * The GC result (GarbageCollectionStatus in pbs-api-types), written to `<base>/.gc-status` as
 * compact JSON with kebab-case keys in PBS's field order. Mapping: upid → upid,
 * index-file-count → indexFileCount, index-data-bytes → indexDataBytes, disk-bytes →
 * diskBytes, disk-chunks → diskChunks, removed-bytes → removedBytes, removed-chunks →
 * removedChunks, pending-bytes → pendingBytes, pending-chunks → pendingChunks, removed-bad →
 * removedBad, still-bad → stillBad, cache-stats {hits, misses} → cacheStats (omitted if absent).
 */

export const GC_STATUS_FILE = '.gc-status';

export interface GcStatus {
  upid: string | null;
  indexFileCount: number;
  indexDataBytes: number;
  diskBytes: number;
  diskChunks: number;
  removedBytes: number;
  removedChunks: number;
  pendingBytes: number;
  pendingChunks: number;
  removedBad: number;
  stillBad: number;
  cacheStats?: { hits: number; misses: number };
}

const FIELDS = [
  ['index-file-count', 'indexFileCount'],
  ['index-data-bytes', 'indexDataBytes'],
  ['disk-bytes', 'diskBytes'],
  ['disk-chunks', 'diskChunks'],
  ['removed-bytes', 'removedBytes'],
  ['removed-chunks', 'removedChunks'],
  ['pending-bytes', 'pendingBytes'],
  ['pending-chunks', 'pendingChunks'],
  ['removed-bad', 'removedBad'],
  ['still-bad', 'stillBad'],
] as const;

export function emptyGcStatus(upid: string | null): GcStatus {
  return {
    upid,
    indexFileCount: 0,
    indexDataBytes: 0,
    diskBytes: 0,
    diskChunks: 0,
    removedBytes: 0,
    removedChunks: 0,
    pendingBytes: 0,
    pendingChunks: 0,
    removedBad: 0,
    stillBad: 0,
  };
}

/** serde_json::to_string of the status: PBS's key order, cache-stats skipped when absent. */
export function formatGcStatus(status: GcStatus): string {
  const json: Record<string, unknown> = { upid: status.upid };
  for (const [key, field] of FIELDS) json[key] = status[field];
  if (status.cacheStats)
    json['cache-stats'] = { hits: status.cacheStats.hits, misses: status.cacheStats.misses };
  return JSON.stringify(json);
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

/** Parses `.gc-status`; missing fields default to 0 as serde's defaults do. */
export function parseGcStatus(text: string): GcStatus {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError('CORRUPT_DATA', `${GC_STATUS_FILE}: not JSON`, { cause: err });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new AppError('CORRUPT_DATA', `${GC_STATUS_FILE}: not a JSON object`);
  }
  const obj = json as Record<string, unknown>;
  const status = emptyGcStatus(typeof obj.upid === 'string' ? obj.upid : null);
  for (const [key, field] of FIELDS) status[field] = count(obj[key]);
  const cache = obj['cache-stats'];
  if (typeof cache === 'object' && cache !== null) {
    const { hits, misses } = cache as Record<string, unknown>;
    status.cacheStats = { hits: count(hits), misses: count(misses) };
  }
  return status;
}

/** The last GC's status, or null before the first GC (or if the file is unreadable, as PBS). */
export async function readGcStatus(backend: StorageBackend): Promise<GcStatus | null> {
  try {
    return parseGcStatus((await backend.readFile(GC_STATUS_FILE)).toString('utf8'));
  } catch (err) {
    if (err instanceof AppError && (err.code === 'NOT_FOUND' || err.code === 'CORRUPT_DATA')) return null;
    throw err;
  }
}

export async function writeGcStatus(backend: StorageBackend, status: GcStatus): Promise<void> {
  await backend.writeFile(GC_STATUS_FILE, formatGcStatus(status));
}
