/**
 * Fires jobs whose calendar event is due, as proxmox-backup-proxy does once a minute: a job is
 * due when the next event after its last run (JobStateStore.lastRunTime) is not in the future,
 * and it is skipped while its state says 'started'.
 */
import { epochSeconds, systemClock, type Clock } from './clock.js';
import { computeNextEvent, parseCalendarEvent, type CalendarEvent } from './calendar-event.js';
import type { JobState, JobStateStore } from './job-state.js';

export interface ScheduledJob {
  jobType: string;
  id: string;
  schedule: string;
  /** starts the job's task and returns its UPID */
  run: () => Promise<string>;
}

export interface JobSchedulerOptions {
  jobs: () => Promise<ScheduledJob[]>;
  states: JobStateStore;
  clock?: Clock;
  /** evaluate schedules in UTC instead of the local zone */
  utc?: boolean;
  /** a job that could not be checked or started (bad schedule, run() failed, state file error) */
  onError?: (err: unknown, job: ScheduledJob) => void;
  /** a tick of start() that failed as a whole (jobs() threw) */
  onTickError?: (err: unknown) => void;
}

const MINUTE_MS = 60_000;

export class JobScheduler {
  private readonly clock: Clock;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  /** ticks run one after the other, so a job cannot be started twice by overlapping ticks */
  private lastTick: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: JobSchedulerOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  tick(): Promise<string[]> {
    const result = this.lastTick.then(() => this.runDueJobs());
    this.lastTick = result.catch(() => undefined);
    return result;
  }

  /** Ticks at every full interval (every minute by default) until stop(); never keeps the process alive. */
  start(intervalMs: number = MINUTE_MS): void {
    this.running = true;
    const schedule = (): void => {
      if (!this.running) return;
      const delay = intervalMs - (this.clock.now() % intervalMs);
      this.timer = setTimeout(() => {
        this.tick()
          .catch((err: unknown) => this.opts.onTickError?.(err))
          .finally(schedule);
      }, delay);
      this.timer.unref();
    };
    clearTimeout(this.timer);
    schedule();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Epoch seconds of the job's next run; null if the schedule never fires again. Throws on a bad schedule. */
  nextRun(job: ScheduledJob, state: JobState): number | null {
    return this.next(parseCalendarEvent(job.schedule), state);
  }

  private next(event: CalendarEvent, state: JobState): number | null {
    return computeNextEvent(event, this.opts.states.lastRunTime(state), this.opts.utc ?? false);
  }

  private async runDueJobs(): Promise<string[]> {
    const jobs = await this.opts.jobs();
    const upids: string[] = [];
    for (const job of jobs) {
      try {
        const upid = await this.runIfDue(job);
        if (upid !== undefined) upids.push(upid);
      } catch (err) {
        this.opts.onError?.(err, job);
      }
    }
    return upids;
  }

  private async runIfDue(job: ScheduledJob): Promise<string | undefined> {
    const event = parseCalendarEvent(job.schedule);
    const { states } = this.opts;
    const state = await states.read(job.jobType, job.id);
    if (state.kind === 'started') return undefined;
    // PBS rewrites an unreadable state as 'created now' and meanwhile counts from 30 s ago.
    if (state.kind === 'unknown') await states.updateLastRunTime(job.jobType, job.id);
    const next = this.next(event, state);
    if (next === null || next > epochSeconds(this.clock)) return undefined;
    const upid = await job.run();
    await states.markStarted(job.jobType, job.id, upid);
    return upid;
  }
}
