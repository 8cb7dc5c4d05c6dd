/**
 * Job run states in `<lib>/jobstates/<jobtype>-<id>.json` (pbs-formats §1.7), written
 * atomically (mode 0644) under `<jobtype>-<id>.lck`, the lock file PBS uses for the same job.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import { replaceFileAtomic, withFileLock } from '@pbs/config';
import { epochSeconds, systemClock, type Clock } from './clock.js';
import { jobStateFromJson, jobStateToJson, type JobState, type JobTaskState } from './job-state-json.js';
import type { TaskStatusInfo } from './task-info.js';
import { parseStatusText } from './task-state.js';
import { parseUpid } from './upid.js';

export type { JobState, JobTaskState } from './job-state-json.js';

/** Seconds before now that PBS takes as the last run of a job whose state is unknown. */
export const SCHEDULE_FALLBACK_OFFSET = 30;

const STATE_FILE_MODE = 0o644;
const NAME_RE = /^[^/\0]+$/;

export interface JobStateStoreOptions {
  /** <data>/lib/jobstates */
  dir: string;
  clock?: Clock;
  /**
   * When given, a 'started' state whose task no longer runs reads as 'finished' with that task's
   * result (as PBS's JobState::load does), so a job whose end was never recorded (a restart)
   * becomes due again. Pass the TaskManager.
   */
  tasks?: { status(upid: string): Promise<TaskStatusInfo> };
}

export class JobStateStore {
  private readonly clock: Clock;

  constructor(private readonly opts: JobStateStoreOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  /** A missing file is created now (and written); an unreadable one is 'unknown'. */
  async read(jobType: string, id: string): Promise<JobState> {
    const text = await this.readText(jobType, id);
    if (text === null) {
      const created: JobState = { kind: 'created', time: epochSeconds(this.clock) };
      await this.locked(jobType, id, async () => {
        if ((await this.readText(jobType, id)) === null) await this.write(jobType, id, created);
      });
      return created;
    }
    const state = validUpid(jobStateFromJson(text));
    return state.kind === 'started' ? this.resolveStarted(state) : state;
  }

  async markStarted(jobType: string, id: string, upid: string): Promise<void> {
    parseUpid(upid);
    await this.locked(jobType, id, async () => {
      // A quick task may have been marked finished before its starter got here.
      const text = await this.readText(jobType, id);
      const current = text === null ? null : jobStateFromJson(text);
      if (current?.kind === 'finished' && current.upid === upid) return;
      await this.write(jobType, id, { kind: 'started', upid });
    });
  }

  /**
   * With `confirm`, an outcome already recorded for this run is kept as it is (with its end
   * time): the task's end confirms what its worker wrote, and readers see one end time.
   */
  async markFinished(
    jobType: string,
    id: string,
    upid: string,
    status: string,
    opts: { confirm?: boolean } = {},
  ): Promise<void> {
    parseUpid(upid);
    const state = toJobTaskState(status, epochSeconds(this.clock));
    await this.locked(jobType, id, async () => {
      if (opts.confirm === true) {
        const text = await this.readText(jobType, id);
        const current = text === null ? null : jobStateFromJson(text);
        if (current?.kind === 'finished' && current.upid === upid && sameOutcome(current.state, state))
          return;
      }
      await this.write(jobType, id, { kind: 'finished', upid, state });
    });
  }

  /** PBS's update_job_last_run_time: after a schedule change, count from now (unless running). */
  async updateLastRunTime(jobType: string, id: string): Promise<void> {
    const time = epochSeconds(this.clock);
    await this.locked(jobType, id, async () => {
      const text = await this.readText(jobType, id);
      const current = text === null ? { kind: 'unknown' as const } : validUpid(jobStateFromJson(text));
      if (current.kind === 'started') return;
      const next: JobState =
        current.kind === 'finished' ? { ...current, updated: time } : { kind: 'created', time };
      await this.write(jobType, id, next);
    });
  }

  async remove(jobType: string, id: string): Promise<void> {
    const path = this.statePath(jobType, id);
    await this.locked(jobType, id, () => rm(path, { force: true }));
    await rm(this.lockPath(jobType, id), { force: true });
  }

  /** Epoch seconds the schedule counts from: creation, last update, or start of the last run. */
  lastRunTime(state: JobState): number {
    switch (state.kind) {
      case 'created':
        return state.time;
      case 'started':
      case 'finished':
        if (state.kind === 'finished' && state.updated !== undefined) return state.updated;
        try {
          return parseUpid(state.upid).startTime;
        } catch {
          return epochSeconds(this.clock) - SCHEDULE_FALLBACK_OFFSET;
        }
      case 'unknown':
        return epochSeconds(this.clock) - SCHEDULE_FALLBACK_OFFSET;
    }
  }

  private async resolveStarted(state: JobState & { kind: 'started' }): Promise<JobState> {
    if (!this.opts.tasks) return state;
    let status: TaskStatusInfo;
    try {
      status = await this.opts.tasks.status(state.upid);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;
      const endtime = parseUpid(state.upid).startTime;
      return { kind: 'finished', upid: state.upid, state: { state: 'unknown', endtime } };
    }
    if (status.state === 'running' || status.status === undefined) return state;
    const endtime = status.endtime ?? status.starttime;
    return { kind: 'finished', upid: state.upid, state: toJobTaskState(status.status, endtime) };
  }

  private statePath(jobType: string, id: string): string {
    if (!NAME_RE.test(jobType) || !NAME_RE.test(id) || id === '..' || jobType === '..') {
      throw new AppError('INVALID_ARGUMENT', `job '${jobType}-${id}': invalid name`);
    }
    return join(this.opts.dir, `${jobType}-${id}.json`);
  }

  private lockPath(jobType: string, id: string): string {
    return this.statePath(jobType, id).replace(/\.json$/, '.lck');
  }

  private locked<R>(jobType: string, id: string, fn: () => Promise<R>): Promise<R> {
    return withFileLock(this.lockPath(jobType, id), { exclusive: true }, fn);
  }

  private async readText(jobType: string, id: string): Promise<string | null> {
    try {
      return await readFile(this.statePath(jobType, id), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  private write(jobType: string, id: string, state: JobState): Promise<void> {
    return replaceFileAtomic(this.statePath(jobType, id), jobStateToJson(state), { mode: STATE_FILE_MODE });
  }
}

/** A state naming a UPID that does not parse is 'unknown', as in PBS. */
function validUpid(state: JobState): JobState {
  if (state.kind !== 'started' && state.kind !== 'finished') return state;
  try {
    parseUpid(state.upid);
    return state;
  } catch {
    return { kind: 'unknown' };
  }
}

/** 'OK' | 'WARNINGS: n' | 'unknown' | error message → PBS TaskState. */
function sameOutcome(a: JobTaskState, b: JobTaskState): boolean {
  return JSON.stringify({ ...a, endtime: 0 }) === JSON.stringify({ ...b, endtime: 0 });
}

export function toJobTaskState(status: string, endtime: number): JobTaskState {
  const end = parseStatusText(status, endtime);
  if (!end || end.state === 'error')
    return { state: 'error', message: end?.status ?? 'unknown error', endtime };
  if (end.state === 'warning') return { state: 'warning', count: end.warnings, endtime };
  return { state: end.state, endtime };
}
