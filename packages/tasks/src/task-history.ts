/**
 * The log dir's record of tasks (the `active` and `archive` lists and the logs behind them) as
 * seen from one process: which listed tasks still run, recovery of those whose process died,
 * retention and the per-type summary.
 */
import { appendFile, rm } from 'node:fs/promises';
import type { Clock } from './clock.js';
import { epochSeconds } from './clock.js';
import { formatLogTime } from './log-time.js';
import { retainedEntries, type RetentionPolicy } from './retention.js';
import { TaskFiles } from './task-files.js';
import { readLogTail } from './task-log-reader.js';
import type { TaskListEntry } from './task-list-file.js';
import { resultLine, type TaskEnd } from './task-state.js';
import { taskLogPath, type Upid } from './upid.js';

export const SERVER_STOPPED = 'server stopped while the task was running';

export type TaskCounts = Record<string, { ok: number; warning: number; error: number }>;

export function errorEnd(message: string, endtime: number): TaskEnd {
  return { state: 'error', status: message, endtime, warnings: 0 };
}

export class TaskHistory {
  readonly files: TaskFiles;

  constructor(
    private readonly logDir: string,
    private readonly clock: Clock,
    /** whether a task listed in `active` still runs */
    private readonly isLive: (entry: TaskListEntry) => boolean,
  ) {
    this.files = new TaskFiles(logDir);
  }

  logPath(upid: Upid): string {
    return taskLogPath(this.logDir, upid);
  }

  /** Both lists, after archiving listed tasks that no longer run. */
  async snapshot(): Promise<{ active: TaskListEntry[]; archive: TaskListEntry[] }> {
    const snap = await this.files.snapshot();
    if (snap.active.every(this.isLive)) return snap;
    await this.reconcile();
    return this.files.snapshot();
  }

  /** Moves tasks that no longer run from `active` to `archive`. */
  reconcile(): Promise<void> {
    return this.files.updateActive(async (active) => {
      const keep: TaskListEntry[] = [];
      const finished: TaskListEntry[] = [];
      for (const entry of active) {
        if (this.isLive(entry)) keep.push(entry);
        else finished.push({ ...entry, end: await this.closeInterrupted(entry.upid) });
      }
      return { active: keep, finished };
    });
  }

  /** A log that already ends with a result keeps it; otherwise it gets the 'server stopped' end. */
  private async closeInterrupted(upid: Upid): Promise<TaskEnd> {
    const path = this.logPath(upid);
    const tail = await readLogTail(path);
    if (tail?.result) return tail.result;
    const end = errorEnd(SERVER_STOPPED, epochSeconds(this.clock));
    if (tail) {
      const line = `${formatLogTime(this.clock.now())}: ${resultLine(end)}\n`;
      await appendFile(path, tail.complete ? line : `\n${line}`);
    }
    return end;
  }

  /** Drops archive entries past the policy and deletes their logs; returns the dropped ones. */
  async applyRetention(policy: RetentionPolicy | undefined): Promise<TaskListEntry[]> {
    const now = epochSeconds(this.clock);
    const dropped = await this.files.pruneArchive((archive) => retainedEntries(archive, now, policy));
    for (const entry of dropped) await rm(this.logPath(entry.upid), { force: true });
    return dropped;
  }

  /** Finished tasks started at or after `since`, counted per worker type. */
  async countByType(since: number): Promise<TaskCounts> {
    const { archive } = await this.files.snapshot();
    const out: TaskCounts = {};
    for (const { upid, end } of archive) {
      if (!end || upid.startTime < since) continue;
      const counts = (out[upid.workerType] ??= { ok: 0, warning: 0, error: 0 });
      // The dashboard has no 'unknown' column: a task that ended without a result failed.
      counts[end.state === 'unknown' ? 'error' : end.state]++;
    }
    return out;
  }

  /** A task of another process that still runs and is still listed as running. */
  async isListedRunning(upidStr: string): Promise<boolean> {
    return (await this.files.readActive()).some((e) => e.upidStr === upidStr && this.isLive(e));
  }
}
