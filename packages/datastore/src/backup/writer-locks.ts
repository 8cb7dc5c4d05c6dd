import type { DatastoreCore } from '../datastore-core.js';
import type { BackupGroupRef } from '../hierarchy/backup-ref.js';
import type { HeldLock } from '../locking/backup-locks.js';
import type { SharedGuard } from '../locking/process-locker.js';
import { removeGroupIfEmpty } from '../snapshot-remove.js';

/*
 * The locks a running backup holds (BackupLockGuards in PBS): group and new snapshot
 * (exclusive), base snapshot (shared, so prune cannot remove what the backup builds on) and the
 * shared chunk store guard (GC's oldest writer). The base and the guard go first when the
 * backup finishes; group and snapshot last, once the manifest is written.
 */
export class WriterLocks {
  private base: HeldLock | undefined;
  private guard: SharedGuard | undefined;
  private snapshot: HeldLock | undefined;
  private group: HeldLock | undefined;

  constructor(
    private readonly core: DatastoreCore,
    private readonly ns: readonly string[],
    private readonly groupRef: BackupGroupRef,
    held: { group: HeldLock; snapshot: HeldLock; base: HeldLock | undefined; guard: SharedGuard },
    readonly startTime: number,
  ) {
    this.group = held.group;
    this.snapshot = held.snapshot;
    this.base = held.base;
    this.guard = held.guard;
  }

  async releaseBaseAndGuard(): Promise<void> {
    this.base?.release();
    this.base = undefined;
    const guard = this.guard;
    this.guard = undefined;
    await guard?.release();
  }

  /** With the group lock still held: a group whose only snapshot was aborted goes too. */
  async removeGroupIfEmpty(): Promise<void> {
    if (this.group) await removeGroupIfEmpty(this.core, this.ns, this.groupRef);
  }

  async releaseAll(): Promise<void> {
    await this.releaseBaseAndGuard();
    this.snapshot?.release();
    this.snapshot = undefined;
    this.group?.release();
    this.group = undefined;
  }
}
