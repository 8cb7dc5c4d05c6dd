import type { DatastoreCore } from '../datastore-core.js';
import type { OperationContext } from '../operation-context.js';

/*
 * What one verify task remembers across snapshots (VerifyWorker): chunks already found good or
 * corrupt are not read again, and read bytes feed the progress rate.
 */
export class VerifyRunState {
  readonly verified = new Set<string>();
  readonly corrupt = new Set<string>();
  bytesRead = 0;
  snapshotsDone = 0;
  readonly startMs: number;

  constructor(
    readonly core: DatastoreCore,
    readonly ctx: OperationContext & { upid: string },
    readonly snapshotsTotal: number,
  ) {
    this.startMs = core.clock.now();
  }

  /** progress: snapshots done of total, bytes read and the read rate */
  report(): void {
    const elapsed = (this.core.clock.now() - this.startMs) / 1000;
    const total = Math.max(this.snapshotsTotal, 1);
    this.ctx.progress({
      phase: 'verifying snapshots',
      itemsDone: this.snapshotsDone,
      itemsTotal: this.snapshotsTotal,
      fraction: Math.min(1, this.snapshotsDone / total),
      bytesDone: this.bytesRead,
      ...(elapsed > 0 ? { rate: this.bytesRead / elapsed } : {}),
    });
  }
}
