import path from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import { FileLock } from '@pbs/config';

/*
 * The chunk store process lock (`<base>/.lock`, pbs-formats §1.6a, proxmox-sys ProcessLocker):
 * backup writers hold it shared, GC exclusive. As with PBS's fcntl locks, exclusion is between
 * processes: inside one process GC may run while its own writers hold shared guards, and those
 * guards' start times give GC its "oldest writer". A process holds at most one flock on `.lock`
 * and converts it between shared and exclusive.
 *
 * Node has no fcntl record locks, so this uses flock, whose conversion is not atomic (the old
 * lock is dropped before the new one is taken). Every conversion therefore happens while
 * holding `<lockDir>/.gc-guard`: only a process holding the guard may take `.lock` exclusively,
 * so no other process can slip an exclusive lock into the gap, while other processes' shared
 * locks may, which is harmless (the conversion then fails with BUSY, as PBS's would).
 * Difference to PBS: flock and fcntl locks do not see each other, so this does not exclude a
 * PBS daemon running on the same datastore.
 */

export interface SharedGuard {
  /** epoch seconds at which the guard was taken */
  readonly since: number;
  release(): Promise<void>;
}

export interface ExclusiveGuard {
  release(): Promise<void>;
}

const GUARD_FILE = '.gc-guard';

export class ProcessLocker {
  private mode: 'none' | 'shared' | 'exclusive' = 'none';
  private flock: FileLock | undefined;
  private readonly shared = new Map<number, number>();
  private nextId = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly lockFile: string,
    private readonly guardFile: string,
  ) {}

  /** serialises the state changes of this locker (each may await a FileLock) */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async take(exclusive: boolean): Promise<void> {
    this.flock = await FileLock.acquire(this.lockFile, { exclusive, timeoutMs: 0 });
    this.mode = exclusive ? 'exclusive' : 'shared';
  }

  private drop(): void {
    this.flock?.release();
    this.flock = undefined;
    this.mode = 'none';
  }

  /** try_shared_lock: BUSY while another process holds the lock exclusively (its GC). */
  acquireShared(nowSec: number): Promise<SharedGuard> {
    return this.serial(async () => {
      if (this.mode === 'none') {
        try {
          await this.take(false);
        } catch (err) {
          throw busy(
            'unable to get shared lock on the chunk store (garbage collection running in another process?)',
            err,
          );
        }
      }
      const id = this.nextId++;
      this.shared.set(id, nowSec);
      let released = false;
      return {
        since: nowSec,
        release: () =>
          this.serial(() => {
            if (!released) {
              released = true;
              this.shared.delete(id);
              if (this.shared.size === 0 && this.mode === 'shared') this.drop();
            }
            return Promise.resolve();
          }),
      };
    });
  }

  /** try_exclusive_lock: BUSY while another process holds any lock on the chunk store. */
  acquireExclusive(): Promise<ExclusiveGuard> {
    return this.serial(async () => {
      if (this.mode === 'exclusive') throw busy('chunk store is already locked exclusively');
      const guard = await FileLock.acquire(this.guardFile, { exclusive: true, timeoutMs: 0 }).catch(
        (err: unknown) => {
          throw busy('unable to get exclusive lock on the chunk store', err);
        },
      );
      try {
        await this.convert(true);
      } catch (err) {
        guard.release();
        throw busy(
          'unable to get exclusive lock on the chunk store (backup running in another process?)',
          err,
        );
      }
      let released = false;
      return {
        release: () =>
          this.serial(async () => {
            if (released) return;
            released = true;
            try {
              // back to shared for this process's writers, still under the guard
              await this.convert(false);
            } finally {
              guard.release();
            }
          }),
      };
    });
  }

  private async convert(exclusive: boolean): Promise<void> {
    const holdShared = this.shared.size > 0;
    if (exclusive) {
      this.drop();
      try {
        await this.take(true);
      } catch (err) {
        if (holdShared) await this.take(false);
        throw err;
      }
      return;
    }
    this.drop();
    if (holdShared) await this.take(false);
  }

  /** start of the oldest shared guard of this process (epoch seconds), if any */
  oldestShared(): number | undefined {
    let oldest: number | undefined;
    for (const since of this.shared.values()) if (oldest === undefined || since < oldest) oldest = since;
    return oldest;
  }

  get sharedCount(): number {
    return this.shared.size;
  }
}

function busy(message: string, cause?: unknown): AppError {
  return new AppError('BUSY', message, { cause });
}

/** one locker per chunk store and process, as PBS keeps one per datastore */
const lockers = new Map<string, ProcessLocker>();

export function processLockerFor(base: string, lockDir: string): ProcessLocker {
  const lockFile = path.resolve(base, '.lock');
  let locker = lockers.get(lockFile);
  if (!locker) {
    locker = new ProcessLocker(lockFile, path.resolve(lockDir, GUARD_FILE));
    lockers.set(lockFile, locker);
  }
  return locker;
}
