import { AppError } from '@pbs/api-types/errors';
import type { DatastoreCore } from './datastore-core.js';
import { archiveKindOf } from './hierarchy/archive-name.js';
import {
  formatGroup,
  groupDir,
  snapshotDir,
  type BackupGroupRef,
  type SnapshotRef,
} from './hierarchy/backup-ref.js';
import { groupExists, listDirOrEmpty, listSnapshotTimes, namespaceExists } from './hierarchy/listing.js';
import { describeNamespace, formatNamespace, mapNamespacePrefix } from './hierarchy/namespace.js';
import type { HeldLock } from './locking/backup-locks.js';
import { createLockedGroup } from './group-create.js';
import { getOwner, NOTES_FILE } from './group-meta.js';
import { appendMovedIndices } from './move-journal.js';
import { removeGroupLocked } from './snapshot-remove.js';

/*
 * Moving a group to another namespace of the same datastore (lock_and_move_group): source group
 * lock, then the target group created or opened under its lock with the source's owner; when
 * the target exists its snapshots are merged, which requires the same owner and source
 * snapshots strictly newer than the target's. Snapshots move oldest first in batches, each
 * batch under exclusive snapshot locks, each rename announced in the move journal first.
 */

const MAX_SNAPSHOT_LOCKS = 512;

export interface MoveLog {
  log(message: string): void;
  warn(message: string): void;
}

const quiet: MoveLog = { log: () => undefined, warn: () => undefined };

export async function checkMoveGroup(
  core: DatastoreCore,
  from: readonly string[],
  to: readonly string[],
  group: BackupGroupRef,
  merge: boolean,
): Promise<void> {
  if (formatNamespace(from) === formatNamespace(to)) {
    throw new AppError('INVALID_ARGUMENT', 'source and target namespace must be different');
  }
  if (!(await namespaceExists(core, to))) {
    throw new AppError('NOT_FOUND', `target ${describeNamespace(to)} does not exist`);
  }
  if (!(await groupExists(core, from, group))) {
    throw new AppError(
      'NOT_FOUND',
      `group '${formatGroup(group)}' does not exist in ${describeNamespace(from)}`,
    );
  }
  if (!merge && (await groupExists(core, to, group))) {
    throw new AppError(
      'ALREADY_EXISTS',
      `group '${formatGroup(group)}' already exists in target ${describeNamespace(to)} and merging is disabled`,
    );
  }
}

async function checkMergeInvariants(
  core: DatastoreCore,
  from: readonly string[],
  to: readonly string[],
  group: BackupGroupRef,
): Promise<void> {
  const [srcOwner, dstOwner] = [await getOwner(core, from, group), await getOwner(core, to, group)];
  const what = `cannot merge group '${formatGroup(group)}' from ${describeNamespace(from)} into ${describeNamespace(to)}`;
  if (srcOwner !== dstOwner) {
    throw new AppError(
      'INVALID_ARGUMENT',
      `${what}: owner mismatch (source: ${srcOwner}, target: ${dstOwner})`,
    );
  }
  const srcOldest = (await listSnapshotTimes(core, from, group))[0];
  const dstTimes = await listSnapshotTimes(core, to, group);
  if (srcOldest !== undefined && dstTimes.some((t) => t >= srcOldest)) {
    throw new AppError('INVALID_ARGUMENT', `${what}: snapshot time mismatch`);
  }
}

async function moveSnapshot(
  core: DatastoreCore,
  from: readonly string[],
  to: readonly string[],
  snap: SnapshotRef,
): Promise<void> {
  const src = snapshotDir(from, snap);
  const dst = snapshotDir(to, snap);
  const indexes = (await listDirOrEmpty(core, src)).filter((e) => {
    const kind = e.kind === 'file' ? archiveKindOf(e.name) : undefined;
    return kind === 'fixed' || kind === 'dynamic';
  });
  await appendMovedIndices(
    core.locks.lockDir,
    indexes.map((e) => `${dst}/${e.name}`),
  );
  await core.backend.renameFile(src, dst);
  await core.locks.removeSnapshotLockFiles(from, snap);
}

async function moveSnapshots(
  core: DatastoreCore,
  from: readonly string[],
  to: readonly string[],
  group: BackupGroupRef,
): Promise<void> {
  const times = await listSnapshotTimes(core, from, group); // oldest first: a partial move keeps the merge invariant
  for (let start = 0; start < times.length; start += MAX_SNAPSHOT_LOCKS) {
    const batch = times.slice(start, start + MAX_SNAPSHOT_LOCKS).map((time) => ({ ...group, time }));
    const locks: HeldLock[] = [];
    try {
      for (const snap of batch) locks.push(await core.locks.lockSnapshot(from, snap));
      for (const snap of batch) await moveSnapshot(core, from, to, snap);
    } finally {
      for (const lock of locks) lock.release();
    }
  }
}

async function moveNotes(
  core: DatastoreCore,
  from: readonly string[],
  to: readonly string[],
  group: BackupGroupRef,
  out: MoveLog,
): Promise<void> {
  const src = `${groupDir(from, group)}/${NOTES_FILE}`;
  const dst = `${groupDir(to, group)}/${NOTES_FILE}`;
  if ((await core.backend.statFile(src))?.kind !== 'file') return;
  if ((await core.backend.statFile(dst))?.kind === 'file') {
    const [a, b] = [await core.backend.readFile(src), await core.backend.readFile(dst)];
    if (!a.equals(b))
      out.warn(`group notes differ during merge of '${formatGroup(group)}' - keeping the target's notes`);
    return; // the source copy goes with the source group
  }
  await core.backend.renameFile(src, dst);
}

/**
 * Moves `group` of namespace `groupNs` below `sourceRoot` to the same place below `targetRoot`
 * (for a single group move, groupNs = sourceRoot). BUSY when a lock is taken: retryable.
 */
export async function lockAndMoveGroup(
  core: DatastoreCore,
  move: { sourceRoot: readonly string[]; groupNs: readonly string[]; targetRoot: readonly string[] },
  group: BackupGroupRef,
  opts: { merge: boolean; log?: MoveLog },
): Promise<void> {
  const out = opts.log ?? quiet;
  const from = move.groupNs;
  const to = mapNamespacePrefix(from, move.sourceRoot, move.targetRoot);
  const sourceLock = await core.locks.lockGroup(from, group);
  try {
    await checkMoveGroup(core, from, to, group, opts.merge);
    const owner = await getOwner(core, from, group);
    const target = await createLockedGroup(core, to, group, owner);
    try {
      const merging = !target.created;
      if (merging && !opts.merge)
        throw new AppError('ALREADY_EXISTS', `group '${formatGroup(group)}' already exists in the target`);
      out.log(
        `${merging ? 'merging' : 'moving'} group '${formatGroup(group)}' from '${formatNamespace(from)}' to '${formatNamespace(to)}'`,
      );
      if (merging) await checkMergeInvariants(core, from, to, group);
      await moveSnapshots(core, from, to, group);
      await moveNotes(core, from, to, group, out);
      await removeGroupLocked(core, from, group);
    } finally {
      target.lock.release();
    }
  } finally {
    sourceLock.release();
  }
}
