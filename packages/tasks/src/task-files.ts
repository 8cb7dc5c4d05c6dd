/**
 * The shared task list files of a log dir (pbs-formats §9.2): `active` (running UPIDs, replaced
 * atomically, mode 0660) and `archive` (appended `<UPID> <endtime> <status>` lines), both guarded
 * by a flock on `.active.lock` (15 s); @pbs/config queues waiters of this process in memory.
 */
import { appendFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFileAtomic, withFileLock } from '@pbs/config';
import { readTaskList, renderTaskListLine, type TaskListEntry } from './task-list-file.js';

const LIST_FILE_MODE = 0o660;
const LOCK_TIMEOUT_MS = 15_000;

export interface ActiveUpdate {
  /** entries that stay in `active` */
  active: TaskListEntry[];
  /** finished entries to append to `archive` */
  finished?: TaskListEntry[];
}

export class TaskFiles {
  readonly activePath: string;
  readonly archivePath: string;
  readonly lockPath: string;
  /** legacy pre-1.x list, migrated into the archive when found */
  readonly indexPath: string;

  constructor(readonly logDir: string) {
    this.activePath = join(logDir, 'active');
    this.archivePath = join(logDir, 'archive');
    this.lockPath = join(logDir, '.active.lock');
    this.indexPath = join(logDir, 'index');
  }

  async ensureLayout(): Promise<void> {
    await mkdir(this.logDir, { recursive: true, mode: 0o755 });
  }

  locked<R>(exclusive: boolean, fn: () => Promise<R>): Promise<R> {
    return withFileLock(this.lockPath, { exclusive, timeoutMs: LOCK_TIMEOUT_MS }, fn);
  }

  /** Both lists from one consistent moment: a task is never in both or in neither. */
  snapshot(): Promise<{ active: TaskListEntry[]; archive: TaskListEntry[] }> {
    return this.locked(false, async () => ({
      active: await readTaskList(this.activePath),
      archive: await readTaskList(this.archivePath),
    }));
  }

  readActive(): Promise<TaskListEntry[]> {
    // `active` is only ever replaced by rename, so reading it needs no lock.
    return readTaskList(this.activePath);
  }

  /** Read-modify-write of `active`, appending what it returns as finished to `archive`. */
  updateActive(fn: (active: TaskListEntry[]) => ActiveUpdate | Promise<ActiveUpdate>): Promise<void> {
    return this.locked(true, async () => {
      const current = await readTaskList(this.activePath);
      const legacy = await readTaskList(this.indexPath);
      const update = await fn(current);
      const finished = [...legacy.filter((e) => e.end), ...(update.finished ?? [])];
      const data = update.active.map((e) => renderTaskListLine({ upidStr: e.upidStr })).join('');
      await replaceFileAtomic(this.activePath, data, { mode: LIST_FILE_MODE });
      if (finished.length > 0) {
        // Archive lines are kept in end-time order, oldest first, as PBS sorts them.
        finished.sort((a, b) => (a.end?.endtime ?? 0) - (b.end?.endtime ?? 0));
        await appendFile(this.archivePath, finished.map(renderTaskListLine).join(''), {
          mode: LIST_FILE_MODE,
        });
      }
      if (legacy.length > 0) await rm(this.indexPath, { force: true });
    });
  }

  /** Replaces the archive with the entries `fn` keeps; returns the dropped ones. */
  pruneArchive(fn: (archive: TaskListEntry[]) => TaskListEntry[]): Promise<TaskListEntry[]> {
    return this.locked(true, async () => {
      const archive = await readTaskList(this.archivePath);
      const keep = fn(archive);
      if (keep.length === archive.length) return [];
      const kept = new Set(keep);
      await replaceFileAtomic(this.archivePath, keep.map(renderTaskListLine).join(''), {
        mode: LIST_FILE_MODE,
      });
      return archive.filter((e) => !kept.has(e));
    });
  }
}
