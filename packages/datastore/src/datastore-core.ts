import type { StorageBackend } from '@pbs/storage';
import type { ChunkStore } from './chunk-store.js';
import type { BackupLocks } from './locking/backup-locks.js';
import type { ProcessLocker } from './locking/process-locker.js';
import type { ManifestCache } from './manifest-cache.js';

/*
 * What the datastore's operation modules share: the open datastore without its public API.
 * Datastore implements it; modules take it instead of the class so they stay small and free of
 * import cycles.
 */

export interface DatastoreTuning {
  /** gc-atime-cutoff in minutes (PBS default 1445 = 24 h 5 min) */
  readonly gcAtimeCutoffMinutes: number;
  readonly gcAtimeSafetyCheck: boolean;
  /** digests whose atime GC remembers having updated (0 disables the cache) */
  readonly gcCacheCapacity: number;
  /** read order of verify; 'inode' needs inode numbers the storage port does not expose */
  readonly chunkOrder: 'none' | 'inode';
}

export const DEFAULT_TUNING: DatastoreTuning = {
  gcAtimeCutoffMinutes: 24 * 60 + 5,
  gcAtimeSafetyCheck: true,
  gcCacheCapacity: 1024 * 1024,
  chunkOrder: 'inode',
};

export interface DatastoreCore {
  readonly name: string;
  readonly backend: StorageBackend;
  readonly chunkStore: ChunkStore;
  readonly locks: BackupLocks;
  readonly processLocker: ProcessLocker;
  readonly tuning: DatastoreTuning;
  readonly clock: { now(): number };
  /** the clock in whole epoch seconds, the unit of backup times and atimes */
  nowSec(): number;
  /** decoded manifests for listings (optional: cores without it read every time) */
  readonly manifestCache?: ManifestCache;
}
