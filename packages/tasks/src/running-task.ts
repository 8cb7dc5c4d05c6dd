/**
 * One task of this process while it runs: its open log, abort controller, warning count and
 * progress, and the listeners that follow it live.
 */
import type { TaskProgress } from '@pbs/api-types/domain';
import type { Clock } from './clock.js';
import { formatLogTime } from './log-time.js';
import { ProgressTracker } from './progress-tracker.js';
import type { TaskContext, TaskEvent } from './task-context.js';
import { toTaskInfo, type TaskStatusInfo } from './task-info.js';
import type { TaskLogWriter } from './task-log-writer.js';
import type { TaskEnd } from './task-state.js';
import type { Upid } from './upid.js';

export type TaskListener = (event: TaskEvent) => void;

export class RunningTask {
  readonly controller = new AbortController();
  readonly progress: ProgressTracker;
  readonly context: TaskContext;
  warnings = 0;
  /** set once the end is being written; later calls to finish are ignored */
  finishing = false;
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private readonly listeners = new Set<TaskListener>();
  private lastProgressEmit = -Infinity;
  private progressTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly upidStr: string,
    readonly upid: Upid,
    readonly writer: TaskLogWriter,
    private readonly clock: Clock,
    private readonly progressIntervalMs: number,
  ) {
    this.progress = new ProgressTracker(clock, upid.startTime * 1000);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    const signal = this.controller.signal;
    this.context = {
      upid: upidStr,
      signal,
      clock,
      log: (message) => this.log(message),
      warn: (message) => this.warn(message),
      progress: (update) => this.updateProgress(update),
      throwIfAborted: () => signal.throwIfAborted(),
    };
  }

  /** Each line of a multi-line message becomes its own timestamped log line. */
  log(message: string): void {
    const time = formatLogTime(this.clock.now());
    const texts = message.split(/\r?\n/).map((line) => `${time}: ${line}`);
    const numbers = this.writer.append(texts);
    if (numbers.length === 0) return;
    this.emit({ kind: 'log', lines: numbers.map((n, i) => ({ n, t: texts[i] ?? '' })) });
  }

  warn(message: string): void {
    this.warnings++;
    // The prefix PBS ≤ 3 wrote (task_warn!) lets readers of the plain log spot warnings.
    this.log(
      message
        .split(/\r?\n/)
        .map((line) => `WARN: ${line}`)
        .join('\n'),
    );
  }

  requestAbort(): void {
    if (this.controller.signal.aborted) return;
    this.log('received abort request ...');
    this.controller.abort();
  }

  subscribe(listener: TaskListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  statusInfo(end?: TaskEnd): TaskStatusInfo {
    return {
      ...toTaskInfo(this.upidStr, this.upid, end),
      progress: this.progress.current(),
      warnings: this.warnings,
    };
  }

  /** Last step of the end: listeners get 'end' and waiters are released. */
  ended(status: TaskStatusInfo): void {
    clearTimeout(this.progressTimer);
    this.emit({ kind: 'end', status });
    this.listeners.clear();
    this.resolveDone();
  }

  private updateProgress(update: Partial<TaskProgress>): void {
    if (this.finishing) return;
    this.progress.update(update);
    const wait = this.lastProgressEmit + this.progressIntervalMs - this.clock.now();
    if (wait <= 0 || this.progressIntervalMs <= 0) {
      this.emitProgress();
    } else {
      // Trailing emit: bursts of updates reach followers as one event with the latest values.
      this.progressTimer ??= setTimeout(() => this.emitProgress(), Math.min(wait, this.progressIntervalMs));
      this.progressTimer.unref();
    }
  }

  private emitProgress(): void {
    this.progressTimer = undefined;
    this.lastProgressEmit = this.clock.now();
    const progress = this.progress.current();
    if (progress && !this.finishing) this.emit({ kind: 'progress', progress });
  }

  private emit(event: TaskEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
