import fsp from 'node:fs/promises';
import { AppError } from '@pbs/api-types/errors';
import { FileLock } from '@pbs/config';
import {
  formatGroup,
  formatSnapshot,
  type BackupGroupRef,
  type SnapshotRef,
} from '../hierarchy/backup-ref.js';
import { formatNamespace } from '../hierarchy/namespace.js';
import { MANIFEST_LOCK_NAME } from '../manifest.js';
import { lockFilePath } from './lock-path.js';

/*
 * The flock files PBS uses for groups, snapshots and manifests (pbs-formats §1.6b):
 *   group      exclusive, non-blocking: backup session, group removal/move, group notes
 *   snapshot   exclusive, non-blocking: backup, destroy, protection change, move
 *              shared, non-blocking: readers, verify, the base snapshot of a running backup
 *   manifest   exclusive, up to 5 s: every manifest update and snapshot destroy
 * FileLock checks after locking that the path still names the locked inode, so removing a
 * lock file next to a holder cannot give two holders.
 */

const MANIFEST_LOCK_TIMEOUT_MS = 5000;

export type HeldLock = Pick<FileLock, 'release'>;

function where(ns: readonly string[]): string {
  return ns.length === 0 ? '' : ` in namespace '${formatNamespace(ns)}'`;
}

async function acquire(
  file: string,
  what: string,
  opts: { exclusive: boolean; timeoutMs: number },
): Promise<HeldLock> {
  try {
    return await FileLock.acquire(file, opts);
  } catch (err) {
    if (err instanceof AppError && err.code === 'BUSY') {
      throw new AppError('BUSY', `${what} is locked by another operation`, {
        cause: err,
        details: { lock: file },
      });
    }
    throw err;
  }
}

export class BackupLocks {
  constructor(readonly lockDir: string) {}

  groupLockPath(ns: readonly string[], group: BackupGroupRef): string {
    return lockFilePath(this.lockDir, ns, formatGroup(group));
  }

  snapshotLockPath(ns: readonly string[], snap: SnapshotRef): string {
    return lockFilePath(this.lockDir, ns, formatSnapshot(snap));
  }

  manifestLockPath(ns: readonly string[], snap: SnapshotRef): string {
    return lockFilePath(this.lockDir, ns, `${formatSnapshot(snap)}/${MANIFEST_LOCK_NAME}`);
  }

  /** BUSY "group 'vm/100' is locked by another operation" while someone else holds it. */
  lockGroup(ns: readonly string[], group: BackupGroupRef): Promise<HeldLock> {
    const what = `group '${formatGroup(group)}'${where(ns)}`;
    return acquire(this.groupLockPath(ns, group), what, { exclusive: true, timeoutMs: 0 });
  }

  lockSnapshot(ns: readonly string[], snap: SnapshotRef, opts: { shared?: boolean } = {}): Promise<HeldLock> {
    const what = `snapshot '${formatSnapshot(snap)}'${where(ns)}`;
    return acquire(this.snapshotLockPath(ns, snap), what, { exclusive: !opts.shared, timeoutMs: 0 });
  }

  lockManifest(ns: readonly string[], snap: SnapshotRef): Promise<HeldLock> {
    const what = `manifest of snapshot '${formatSnapshot(snap)}'${where(ns)}`;
    return acquire(this.manifestLockPath(ns, snap), what, {
      exclusive: true,
      timeoutMs: MANIFEST_LOCK_TIMEOUT_MS,
    });
  }

  /** Lock files of a removed or moved snapshot are no longer needed (errors are ignored). */
  async removeSnapshotLockFiles(ns: readonly string[], snap: SnapshotRef): Promise<void> {
    await fsp.rm(this.manifestLockPath(ns, snap), { force: true }).catch(() => undefined);
    await fsp.rm(this.snapshotLockPath(ns, snap), { force: true }).catch(() => undefined);
  }

  async removeGroupLockFile(ns: readonly string[], group: BackupGroupRef): Promise<void> {
    await fsp.rm(this.groupLockPath(ns, group), { force: true }).catch(() => undefined);
  }
}
