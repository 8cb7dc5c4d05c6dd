/** What a running task sees of the manager, and what followers of a task receive. */
import type { TaskProgress } from '@pbs/api-types/domain';
import type { Clock } from './clock.js';
import type { TaskStatusInfo } from './task-info.js';

export interface TaskContext {
  readonly upid: string;
  readonly signal: AbortSignal;
  readonly clock: Clock;
  log(message: string): void;
  /** counts towards 'WARNINGS: n' */
  warn(message: string): void;
  /** merged into the current progress; rate and ETA are derived when not given */
  progress(update: Partial<TaskProgress>): void;
  throwIfAborted(): void;
}

export interface TaskLogLine {
  /** 1-based line number */
  n: number;
  /** the line as written: '<time>: <message>' */
  t: string;
}

export type TaskEvent =
  | { kind: 'log'; lines: TaskLogLine[] }
  | { kind: 'progress'; progress: TaskProgress }
  | { kind: 'end'; status: TaskStatusInfo };
