/**
 * Worker tasks of this process and the task history of its log dir. See index.ts for the
 * layout, the invariants and the locking rules.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import { epochSeconds, systemClock, type Clock } from './clock.js';
import { isProcessRunning } from './process-start.js';
import { RunningTask } from './running-task.js';
import { settlesWithin } from './settles-within.js';
import type { TaskContext, TaskEvent } from './task-context.js';
import { filterAndPage, type TaskListFilter } from './task-filter.js';
import { followByPolling, followOwn } from './task-follow.js';
import { toTaskInfo, type TaskInfo, type TaskStatusInfo } from './task-info.js';
import { errorEnd, SERVER_STOPPED, TaskHistory, type TaskCounts } from './task-history.js';
import { readLogLines, readLogTail, tailEnd } from './task-log-reader.js';
import { TaskLogWriter } from './task-log-writer.js';
import { errorStatusText, resultLine, type TaskEnd } from './task-state.js';
import { formatUpid, parseUpid, type Upid } from './upid.js';
import {
  validateManagerOptions,
  validateSpawnOptions,
  type SpawnOptions,
  type TaskManagerOptions,
} from './task-manager-options.js';

export type { TaskManagerOptions, SpawnOptions } from './task-manager-options.js';

const RECENT_LIMIT = 256;
/** what the API's UPID schema accepts */
const MAX_UPID_LENGTH = 512;

export class TaskManager {
  private readonly history: TaskHistory;
  private readonly clock: Clock;
  private readonly running = new Map<string, RunningTask>();
  /** end states of tasks that ended in this process, with their exact warning count and progress */
  private readonly recent = new Map<string, TaskStatusInfo>();
  private readonly spawning = new Set<Promise<unknown>>();
  private nextTaskId = 0;
  private closing = false;
  private initPromise: Promise<void> | undefined;

  constructor(private readonly opts: TaskManagerOptions) {
    validateManagerOptions(opts);
    this.clock = opts.clock ?? systemClock;
    this.history = new TaskHistory(opts.logDir, this.clock, (e) => this.isLive(e.upid, e.upidStr));
  }

  /** Creates the layout, ends tasks left behind by dead processes, applies retention; idempotent. */
  init(): Promise<void> {
    this.initPromise ??= (async () => {
      await this.history.files.ensureLayout();
      await this.history.reconcile();
      await this.history.applyRetention(this.opts.retention);
    })().catch((err: unknown) => {
      this.initPromise = undefined;
      throw err;
    });
    return this.initPromise;
  }

  async spawn(opts: SpawnOptions): Promise<string> {
    if (this.closing) throw new AppError('BUSY', 'task manager is shutting down');
    validateSpawnOptions(opts);
    const registering = this.register(opts);
    this.spawning.add(registering);
    try {
      const task = await registering;
      void this.execute(task, opts.run).then(() => this.notifyEnd(task, opts));
      return task.upidStr;
    } finally {
      this.spawning.delete(registering);
    }
  }

  async list(filter: TaskListFilter = {}): Promise<{ total: number; items: TaskInfo[] }> {
    await this.init();
    const snap = await this.history.snapshot();
    const running = snap.active
      .map((e) => toTaskInfo(e.upidStr, e.upid))
      .sort((a, b) => b.starttime - a.starttime);
    const finished = snap.archive.reverse().map((e) => toTaskInfo(e.upidStr, e.upid, e.end));
    return filterAndPage([...running, ...finished], filter);
  }

  async status(upidStr: string): Promise<TaskStatusInfo> {
    const upid = parseUpid(upidStr);
    await this.init();
    const own = this.running.get(upidStr);
    if (own) return own.statusInfo();
    const recent = this.recent.get(upidStr);
    if (recent) return recent;
    const tail = await readLogTail(this.logPath(upid));
    if (!tail) throw new AppError('NOT_FOUND', `task '${upidStr}': not found`);
    if (await this.isForeignRunning(upid, upidStr))
      return { ...toTaskInfo(upidStr, upid), progress: null, warnings: 0 };
    const end = tailEnd(tail, upid.startTime);
    return { ...toTaskInfo(upidStr, upid, end), progress: null, warnings: end.warnings };
  }

  async readLog(
    upidStr: string,
    start = 0,
    limit = 0,
  ): Promise<{ lines: Array<{ n: number; t: string }>; total: number; running: boolean }> {
    const upid = parseUpid(upidStr);
    await this.init();
    const own = this.running.get(upidStr);
    if (own) await own.writer.flush();
    const lines = await readLogLines(this.logPath(upid));
    if (!lines) throw new AppError('NOT_FOUND', `task '${upidStr}': not found`);
    const from = Math.max(0, start);
    const to = limit > 0 ? from + limit : lines.length;
    return {
      lines: lines.slice(from, to).map((t, i) => ({ n: from + i + 1, t })),
      total: lines.length,
      running: own !== undefined || (await this.isForeignRunning(upid, upidStr)),
    };
  }

  async *follow(upidStr: string, fromLine: number, signal?: AbortSignal): AsyncGenerator<TaskEvent> {
    const upid = parseUpid(upidStr);
    await this.init();
    const path = this.logPath(upid);
    const own = this.running.get(upidStr);
    if (own) {
      yield* followOwn(own, path, Math.max(0, fromLine), signal);
      return;
    }
    const status = () => this.status(upidStr);
    await status(); // NOT_FOUND before anything is delivered
    const deps = { path, status, pollIntervalMs: this.opts.pollIntervalMs ?? 1000 };
    yield* followByPolling(deps, Math.max(0, fromLine), signal);
  }

  async stop(upidStr: string): Promise<void> {
    const own = this.running.get(upidStr);
    if (own) {
      own.requestAbort();
      return;
    }
    const status = await this.status(upidStr);
    if (status.state !== 'running')
      throw new AppError('INVALID_ARGUMENT', `task '${upidStr}' is not running`);
    throw new AppError('NOT_IMPLEMENTED', `task '${upidStr}': runs in another process (pid ${status.pid})`);
  }

  runningCount(): number {
    return this.running.size;
  }

  /** Aborts every task and waits for its end; past the timeout, stragglers are ended as stopped. */
  async shutdown(opts: { timeoutMs?: number } = {}): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.spawning]);
    const tasks = [...this.running.values()];
    for (const task of tasks) task.requestAbort();
    const all = Promise.all(tasks.map((t) => t.done));
    if (await settlesWithin(all, opts.timeoutMs ?? 30_000)) return;
    await Promise.all(
      tasks.map((t) =>
        t.finishing ? t.done : this.finish(t, errorEnd(SERVER_STOPPED, epochSeconds(this.clock))),
      ),
    );
  }

  async rotate(): Promise<{ removed: number }> {
    await this.init();
    const dropped = await this.history.applyRetention(this.opts.retention);
    for (const entry of dropped) this.recent.delete(entry.upidStr);
    return { removed: dropped.length };
  }

  async stats(since: number): Promise<TaskCounts> {
    await this.init();
    return this.history.countByType(since);
  }

  private logPath(upid: Upid): string {
    return this.history.logPath(upid);
  }

  private isOwn(upid: Upid): boolean {
    return upid.pid === this.opts.pid && upid.pstart === this.opts.pstart;
  }

  /** A listed task still runs: ours if we hold it, another process's while that process lives. */
  private isLive(upid: Upid, upidStr: string): boolean {
    return this.isOwn(upid) ? this.running.has(upidStr) : isProcessRunning(upid.pid, upid.pstart);
  }

  private async isForeignRunning(upid: Upid, upidStr: string): Promise<boolean> {
    return !this.isOwn(upid) && (await this.history.isListedRunning(upidStr));
  }

  private async register(opts: SpawnOptions): Promise<RunningTask> {
    await this.init();
    const workerId = opts.id === undefined || opts.id === '' ? null : opts.id;
    const startTime = epochSeconds(this.clock);
    for (let attempt = 0; ; attempt++) {
      const upid: Upid = {
        node: this.opts.node,
        pid: this.opts.pid,
        pstart: this.opts.pstart,
        taskId: this.nextTaskId++,
        startTime,
        workerType: opts.type,
        workerId,
        authId: opts.authId,
      };
      const upidStr = formatUpid(upid);
      if (upidStr.length > MAX_UPID_LENGTH) {
        throw new AppError('INVALID_ARGUMENT', `worker id '${workerId ?? ''}': too long for a task id`);
      }
      const path = this.logPath(upid);
      await mkdir(dirname(path), { recursive: true, mode: 0o755 });
      let writer: TaskLogWriter;
      try {
        writer = await TaskLogWriter.create(path);
      } catch (err) {
        // Only a manager restarted with the same pid and pstart can meet an existing log.
        if ((err as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 100) continue;
        throw err;
      }
      const task = new RunningTask(upidStr, upid, writer, this.clock, this.opts.progressIntervalMs ?? 250);
      this.running.set(upidStr, task);
      try {
        await this.history.files.updateActive((active) => ({ active: [...active, { upidStr, upid }] }));
      } catch (err) {
        await this.finish(task, errorEnd(errorStatusText(err), epochSeconds(this.clock)));
        throw err;
      }
      if (this.closing) task.requestAbort();
      return task;
    }
  }

  private async execute(task: RunningTask, run: (ctx: TaskContext) => Promise<void>): Promise<void> {
    let end: TaskEnd;
    try {
      await Promise.resolve().then(() => run(task.context));
      const warnings = task.warnings;
      end =
        warnings > 0
          ? { state: 'warning', status: `WARNINGS: ${warnings}`, endtime: 0, warnings }
          : { state: 'ok', status: 'OK', endtime: 0, warnings: 0 };
    } catch (err) {
      end = errorEnd(task.controller.signal.aborted ? 'task aborted' : errorStatusText(err), 0);
    }
    await this.finish(task, end);
  }

  /** The spawner's end hook runs after the end is recorded; its failure cannot change the result. */
  private async notifyEnd(task: RunningTask, opts: SpawnOptions): Promise<void> {
    if (opts.onEnd === undefined) return;
    try {
      await opts.onEnd(await this.status(task.upidStr));
    } catch (err) {
      this.opts.onError?.(err);
    }
  }

  /** Result line, close the log, move from `active` to `archive`, then tell the followers. */
  private async finish(task: RunningTask, result: TaskEnd): Promise<void> {
    if (task.finishing) return task.done;
    task.finishing = true;
    let end: TaskEnd = { ...result, endtime: epochSeconds(this.clock), warnings: task.warnings };
    const { upidStr, upid } = task;
    try {
      task.log(resultLine(end));
      await task.writer.close();
      if (task.writer.error)
        end = errorEnd(`unable to write task log - ${task.writer.error.message}`, end.endtime);
      await this.history.files.updateActive((active) => ({
        active: active.filter((e) => e.upidStr !== upidStr),
        finished: [{ upidStr, upid, end }],
      }));
    } catch (err) {
      // The task stays in `active`; the next reconcile archives it from its log's result line.
      this.opts.onError?.(err);
    } finally {
      const status = task.statusInfo(end);
      this.running.delete(upidStr);
      this.recent.set(upidStr, status);
      if (this.recent.size > RECENT_LIMIT) this.recent.delete(this.recent.keys().next().value ?? '');
      task.ended(status);
    }
  }
}
