/**
 * Runs a job as a worker task and keeps its PBS job state (lib/jobstates/<type>-<id>.json):
 * started when the task is registered, finished with the task's result, whether it was started
 * by the scheduler or by "run now".
 */
import { AppError } from '@pbs/api-types';
import type { TaskContext } from '@pbs/tasks';
import type { Services } from '../services.js';

export interface JobRun {
  jobType: string;
  jobId: string;
  /** worker type and id of the task, as PBS names them */
  workerType: string;
  workerId: string;
  authId: string;
  /** set when the scheduler started it (logged like PBS) */
  schedule?: string;
  run: (ctx: TaskContext) => Promise<void>;
}

/** Jobs between their running-check and their 'started' state, per job state store. */
const starting = new WeakMap<object, Set<string>>();

/**
 * PBS holds a job's lock from the check to the end of the run; here a job is reserved in-process
 * from the check until its 'started' state is written, so two concurrent starts cannot both pass.
 */
export async function startJob(services: Services, job: JobRun): Promise<string> {
  const reserved = starting.get(services.jobStates) ?? new Set<string>();
  starting.set(services.jobStates, reserved);
  const key = `${job.jobType}/${job.jobId}`;
  if (reserved.has(key)) {
    throw new AppError('BUSY', `${job.jobType} '${job.jobId}' is already running`);
  }
  reserved.add(key);
  try {
    return await checkAndStart(services, job);
  } finally {
    reserved.delete(key);
  }
}

async function checkAndStart(services: Services, job: JobRun): Promise<string> {
  const { tasks, jobStates } = services;
  const state = await jobStates.read(job.jobType, job.jobId);
  if (state.kind === 'started') {
    const running = await tasks.status(state.upid).catch(() => null);
    if (running?.state === 'running') {
      throw new AppError('BUSY', `${job.jobType} '${job.jobId}' is already running (task ${state.upid})`, {
        details: { upid: state.upid },
      });
    }
  }
  const finish = (upid: string, status: string, confirm = false) =>
    jobStates.markFinished(job.jobType, job.jobId, upid, status, { confirm });
  const upid = await tasks.spawn({
    type: job.workerType,
    id: job.workerId,
    authId: job.authId,
    run: async (ctx) => {
      if (job.schedule !== undefined) ctx.log(`task triggered by schedule '${job.schedule}'`);
      // As PBS's job.finish() in the worker: the state is 'finished' before the task is seen ended.
      let warnings = 0;
      const counting: TaskContext = {
        upid: ctx.upid,
        signal: ctx.signal,
        clock: ctx.clock,
        log: (message) => ctx.log(message),
        warn: (message) => {
          warnings++;
          ctx.warn(message);
        },
        progress: (update) => ctx.progress(update),
        throwIfAborted: () => ctx.throwIfAborted(),
      };
      try {
        await job.run(counting);
      } catch (err) {
        await finish(ctx.upid, ctx.signal.aborted ? 'task aborted' : errorText(err));
        throw err;
      }
      await finish(ctx.upid, warnings > 0 ? `WARNINGS: ${warnings}` : 'OK');
    },
    // The task's own final status is authoritative; a newer run's state is never overwritten.
    onEnd: async (status) => {
      const current = await jobStates.read(job.jobType, job.jobId);
      if ((current.kind === 'started' || current.kind === 'finished') && current.upid !== status.upid) return;
      await finish(status.upid, status.status ?? 'unknown', true);
    },
  });
  await jobStates.markStarted(job.jobType, job.jobId, upid);
  return upid;
}

/** The task's error status text: one line, as the task manager writes it. */
function errorText(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  return raw.replace(/\s*[\r\n]+\s*/g, ' ').trim() || 'unknown error';
}
