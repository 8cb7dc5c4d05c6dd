import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '@pbs/api-types/errors';
import { JobStateStore } from './job-state.js';
import { JobScheduler, type ScheduledJob } from './scheduler.js';
import { deferred } from './testing/deferred.js';
import { ManualClock } from './testing/manual-clock.js';
import { useTempDirs } from './testing/temp-dir.js';
import { formatUpid } from './upid.js';

const tempDir = useTempDirs();
/** 2025-07-14 10:00:30 UTC */
const START = Date.parse('2025-07-14T10:00:30Z');
const at = (iso: string): number => Date.parse(iso);

interface Harness {
  dir: string;
  clock: ManualClock;
  states: JobStateStore;
  scheduler: JobScheduler;
  runs: string[];
  errors: Array<[unknown, string]>;
  job: (id: string, schedule: string, run?: () => Promise<string>) => ScheduledJob;
}

async function harness(jobs: (h: Harness) => ScheduledJob[]): Promise<Harness> {
  const clock = new ManualClock(START);
  const dir = join(await tempDir(), 'jobstates');
  const states = new JobStateStore({ dir, clock });
  let taskId = 0;
  const h = { dir, clock, states, runs: [] as string[], errors: [] as Array<[unknown, string]> } as Harness;
  h.job = (id, schedule, run) => ({
    jobType: 'syncjob',
    id,
    schedule,
    run:
      run ??
      (() => {
        const upid = formatUpid({
          node: 'pbs1',
          pid: 1,
          pstart: 1,
          taskId: taskId++,
          startTime: clock.seconds,
          workerType: 'syncjob',
          workerId: id,
          authId: 'root@pam',
        });
        h.runs.push(`${id}@${new Date(clock.ms).toISOString()}`);
        return Promise.resolve(upid);
      }),
  });
  const list = jobs(h);
  h.scheduler = new JobScheduler({
    jobs: () => Promise.resolve(list),
    states,
    clock,
    utc: true,
    onError: (err, job) => h.errors.push([err, job.id]),
  });
  return h;
}

describe('JobScheduler', () => {
  it('starts a job when its next event after the last run has come, and only once', async () => {
    const h = await harness((x) => [x.job('hourly', 'hourly'), x.job('quarter', '*:0/15')]);
    expect(await h.scheduler.tick()).toEqual([]); // both just created at 10:00:30
    h.clock.ms = at('2025-07-14T10:15:00Z');
    const first = await h.scheduler.tick();
    expect(first).toHaveLength(1);
    expect(h.runs).toEqual(['quarter@2025-07-14T10:15:00.000Z']);
    expect(await h.states.read('syncjob', 'quarter')).toEqual({ kind: 'started', upid: first[0] });
    h.clock.ms = at('2025-07-14T10:30:00Z');
    expect(await h.scheduler.tick()).toEqual([]); // still running per its state
    await h.states.markFinished('syncjob', 'quarter', first[0] ?? '', 'OK');
    h.clock.ms = at('2025-07-14T10:44:59Z');
    // counted from the start of the last run (10:15) the 10:30 event is overdue: one catch-up run
    const catchUp = await h.scheduler.tick();
    expect(h.runs.at(-1)).toBe('quarter@2025-07-14T10:44:59.000Z');
    await h.states.markFinished('syncjob', 'quarter', catchUp[0] ?? '', 'OK');
    expect(await h.scheduler.tick()).toEqual([]);
    h.clock.ms = at('2025-07-14T11:00:00Z');
    expect(await h.scheduler.tick()).toHaveLength(2);
    expect(h.runs.slice(2)).toEqual(['hourly@2025-07-14T11:00:00.000Z', 'quarter@2025-07-14T11:00:00.000Z']);
    expect(h.errors).toEqual([]);
  });

  it('never starts a job twice from overlapping ticks', async () => {
    const h = await harness((x) => [x.job('j', 'minutely')]);
    await h.states.read('syncjob', 'j');
    h.clock.advance(60_000);
    const [a, b] = await Promise.all([h.scheduler.tick(), h.scheduler.tick()]);
    expect([...(a ?? []), ...(b ?? [])]).toHaveLength(1);
    expect(h.runs).toHaveLength(1);
  });

  it('reports a bad schedule or a failed start and goes on with the other jobs', async () => {
    const h = await harness((x) => [
      x.job('bad', 'mon..fry 02:00'),
      x.job('failing', 'minutely', () => Promise.reject(new Error('remote gone'))),
      x.job('good', 'minutely'),
    ]);
    await h.scheduler.tick();
    h.clock.advance(60_000);
    expect(await h.scheduler.tick()).toHaveLength(1);
    expect(h.runs).toEqual(['good@2025-07-14T10:01:30.000Z']);
    const [bad, failing] = h.errors.slice(-2);
    expect(bad?.[1]).toBe('bad');
    expect(bad?.[0]).toBeInstanceOf(AppError);
    expect((bad?.[0] as AppError).code).toBe('INVALID_ARGUMENT');
    expect(failing?.[1]).toBe('failing');
    // a start that failed left the state alone, so the job is tried again
    expect((await h.states.read('syncjob', 'failing')).kind).toBe('created');
  });

  it('counts an unreadable state from 30 s ago and records it as created', async () => {
    const h = await harness((x) => [x.job('lost', 'minutely')]);
    h.clock.ms = at('2025-07-14T10:01:10Z');
    await h.states.read('syncjob', 'lost');
    await writeFile(join(h.dir, 'syncjob-lost.json'), 'garbage');
    expect(await h.scheduler.tick()).toHaveLength(1); // 10:00:40 → 10:01:00 is due
    expect((await h.states.read('syncjob', 'lost')).kind).toBe('started');
  });

  it('computes the next run from the job state', async () => {
    const h = await harness((x) => [x.job('d', 'daily')]);
    const job = h.job('d', 'mon..fri 02:00');
    const created = { kind: 'created' as const, time: at('2025-07-18T03:00:00Z') / 1000 }; // a Friday
    expect(h.scheduler.nextRun(job, created)).toBe(at('2025-07-21T02:00:00Z') / 1000);
    expect(h.scheduler.nextRun(h.job('x', '2020-01-01'), created)).toBeNull();
    expect(() => h.scheduler.nextRun(h.job('x', 'nonsense'), created)).toThrow(AppError);
  });

  it('start() ticks on the interval boundary until stop()', async () => {
    const ran = deferred();
    const h = await harness((x) => [
      x.job(
        'tick',
        '*:*:*',
        () => (
          ran.resolve(),
          Promise.resolve('UPID:pbs1:00000001:00000001:00000000:6874F6F2:syncjob::root@pam:')
        ),
      ),
    ]);
    await h.states.read('syncjob', 'tick');
    h.clock.advance(5000);
    h.scheduler.start(10);
    await ran.promise;
    h.scheduler.stop();
    expect(await h.scheduler.tick()).toEqual([]); // queued behind the timer's tick, which marked the start
    expect((await h.states.read('syncjob', 'tick')).kind).toBe('started');
  });
});
