/** Options of TaskManager and of its spawn(). */
import { AppError } from '@pbs/api-types/errors';
import type { Clock } from './clock.js';
import type { RetentionPolicy } from './retention.js';
import type { TaskContext } from './task-context.js';
import type { TaskStatusInfo } from './task-info.js';
import { NODE_NAME_RE } from './upid.js';

export interface TaskManagerOptions {
  /** the data dir's log/tasks */
  logDir: string;
  node: string;
  pid: number;
  /** start time of this process (see processStartTime) */
  pstart: number;
  clock?: Clock;
  retention?: RetentionPolicy;
  /** minimum time between progress events to followers; 0 sends every update (default 250) */
  progressIntervalMs?: number;
  /** how often the log of another process's running task is re-read when followed (default 1000) */
  pollIntervalMs?: number;
  /** failures that cannot reach a caller, e.g. updating `active` after a task ended */
  onError?: (err: unknown) => void;
}

export interface SpawnOptions {
  type: string;
  id?: string | null;
  authId: string;
  run: (ctx: TaskContext) => Promise<void>;
  /** called once the task's end is recorded (e.g. to store a job's last result) */
  onEnd?: (status: TaskStatusInfo) => Promise<void> | void;
}

export function validateManagerOptions(opts: TaskManagerOptions): void {
  if (!NODE_NAME_RE.test(opts.node)) {
    throw new AppError('INVALID_ARGUMENT', `node name '${opts.node}': invalid`);
  }
  if (!Number.isSafeInteger(opts.pid) || opts.pid <= 0 || opts.pid > 0xffffffff) {
    throw new AppError('INVALID_ARGUMENT', `pid ${opts.pid}: invalid`);
  }
  // The UPID grammar allows at most 9 hex digits for pstart.
  if (!Number.isSafeInteger(opts.pstart) || opts.pstart < 0 || opts.pstart > 0xfffffffff) {
    throw new AppError('INVALID_ARGUMENT', `process start time ${opts.pstart}: invalid`);
  }
}

const UPID_PART_RE = /^[^:/\s]+$/;

/** Worker type and auth id become UPID fields, which cannot hold ':', '/' or white space. */
export function validateSpawnOptions(opts: Pick<SpawnOptions, 'type' | 'authId'>): void {
  if (!UPID_PART_RE.test(opts.type)) {
    throw new AppError('INVALID_ARGUMENT', `worker type '${opts.type}': invalid`);
  }
  if (!UPID_PART_RE.test(opts.authId)) {
    throw new AppError('INVALID_ARGUMENT', `auth id '${opts.authId}': invalid`);
  }
}
