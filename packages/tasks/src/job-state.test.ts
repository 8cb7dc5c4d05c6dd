import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobStateFromJson, jobStateToJson, type JobState } from './job-state-json.js';
import { JobStateStore, SCHEDULE_FALLBACK_OFFSET } from './job-state.js';
import { expectAppError } from './testing/app-error.js';
import { deferred } from './testing/deferred.js';
import { ManualClock } from './testing/manual-clock.js';
import { setupManager, T0, waitEnd } from './testing/manager.js';
import { useTempDirs } from './testing/temp-dir.js';
import { formatUpid, parseUpid } from './upid.js';

const tempDir = useTempDirs();
const SEC = T0 / 1000;
const UPID = 'UPID:pbs1:000004D2:0001E240:00000007:6874F6F2:garbage_collection:store1:root@pam:';
const UPID_START = 0x6874f6f2;

// serde_json's output for src/server/jobstate.rs's JobState and proxmox-rest-server's TaskState
const vectors: Array<[string, JobState]> = [
  ['{"created":{"time":1752502802}}', { kind: 'created', time: 1_752_502_802 }],
  [`{"started":{"upid":"${UPID}"}}`, { kind: 'started', upid: UPID }],
  [
    `{"finished":{"upid":"${UPID}","state":{"OK":{"endtime":1752502900}},"updated":null}}`,
    { kind: 'finished', upid: UPID, state: { state: 'ok', endtime: 1_752_502_900 } },
  ],
  [
    `{"finished":{"upid":"${UPID}","state":{"Warning":{"count":2,"endtime":1752502900}},"updated":1752600000}}`,
    {
      kind: 'finished',
      upid: UPID,
      state: { state: 'warning', count: 2, endtime: 1_752_502_900 },
      updated: 1_752_600_000,
    },
  ],
  [
    `{"finished":{"upid":"${UPID}","state":{"Error":{"message":"datastore 'store1' is read-only","endtime":1752502900}},"updated":null}}`,
    {
      kind: 'finished',
      upid: UPID,
      state: { state: 'error', message: "datastore 'store1' is read-only", endtime: 1_752_502_900 },
    },
  ],
  [
    `{"finished":{"upid":"${UPID}","state":{"Unknown":{"endtime":1752502900}},"updated":null}}`,
    { kind: 'finished', upid: UPID, state: { state: 'unknown', endtime: 1_752_502_900 } },
  ],
  ['"unknown"', { kind: 'unknown' }],
];

describe('job state JSON', () => {
  it.each(vectors)('%s', (json, state) => {
    expect(jobStateFromJson(json)).toEqual(state);
    expect(jobStateToJson(state)).toBe(json);
  });

  it('reads files without the newer "updated" field', () => {
    const json = `{"finished":{"upid":"${UPID}","state":{"OK":{"endtime":5}}}}`;
    expect(jobStateFromJson(json)).toEqual({
      kind: 'finished',
      upid: UPID,
      state: { state: 'ok', endtime: 5 },
    });
  });

  it.each([
    '',
    '{',
    '[]',
    '{"created":{}}',
    '{"finished":{"upid":"x"}}',
    '{"started":{"upid":1}}',
    '{"a":{},"b":{}}',
    `{"finished":{"upid":"${UPID}","state":{"Warning":{"endtime":1}}}}`,
  ])('reads %s as unknown', (json) => {
    expect(jobStateFromJson(json)).toEqual({ kind: 'unknown' });
  });
});

describe('JobStateStore', () => {
  it('creates a missing state now and persists it in <type>-<id>.json', async () => {
    const dir = join(await tempDir(), 'jobstates');
    const store = new JobStateStore({ dir, clock: new ManualClock(T0) });
    expect(await store.read('garbage_collection', 'store1')).toEqual({ kind: 'created', time: SEC });
    expect(await readFile(join(dir, 'garbage_collection-store1.json'), 'utf8')).toBe(
      `{"created":{"time":${SEC}}}`,
    );
  });

  it('records start and finish as PBS writes them', async () => {
    const dir = await tempDir();
    const clock = new ManualClock(T0);
    const store = new JobStateStore({ dir, clock });
    const file = join(dir, 'syncjob-job1.json');
    await store.markStarted('syncjob', 'job1', UPID);
    expect(await readFile(file, 'utf8')).toBe(`{"started":{"upid":"${UPID}"}}`);
    expect(await store.read('syncjob', 'job1')).toEqual({ kind: 'started', upid: UPID });
    clock.advance(90_000);
    await store.markFinished('syncjob', 'job1', UPID, 'WARNINGS: 3');
    expect(await readFile(file, 'utf8')).toBe(
      `{"finished":{"upid":"${UPID}","state":{"Warning":{"count":3,"endtime":${SEC + 90}}},"updated":null}}`,
    );
    await store.markFinished('syncjob', 'job1', UPID, 'remote unreachable');
    expect(await store.read('syncjob', 'job1')).toMatchObject({
      state: { state: 'error', message: 'remote unreachable' },
    });
    await store.markFinished('syncjob', 'job1', UPID, 'OK');
    expect(await store.read('syncjob', 'job1')).toMatchObject({ state: { state: 'ok', endtime: SEC + 90 } });
    // a start recorded after a quick task already finished does not undo the finish
    await store.markStarted('syncjob', 'job1', UPID);
    expect((await store.read('syncjob', 'job1')).kind).toBe('finished');
    // the task's end confirms the worker's record (its end time stays); a different outcome wins
    clock.advance(1_000);
    await store.markFinished('syncjob', 'job1', UPID, 'OK', { confirm: true });
    expect(await store.read('syncjob', 'job1')).toMatchObject({ state: { state: 'ok', endtime: SEC + 90 } });
    await store.markFinished('syncjob', 'job1', UPID, 'WARNINGS: 1', { confirm: true });
    expect(await store.read('syncjob', 'job1')).toMatchObject({
      state: { state: 'warning', count: 1, endtime: SEC + 91 },
    });
  });

  it('counts the last run from creation, the run start, or a later update', async () => {
    const clock = new ManualClock(T0);
    const store = new JobStateStore({ dir: await tempDir(), clock });
    const finished: JobState = {
      kind: 'finished',
      upid: UPID,
      state: { state: 'ok', endtime: UPID_START + 50 },
    };
    expect(store.lastRunTime({ kind: 'created', time: 42 })).toBe(42);
    expect(store.lastRunTime({ kind: 'started', upid: UPID })).toBe(UPID_START);
    expect(store.lastRunTime(finished)).toBe(UPID_START);
    expect(store.lastRunTime({ ...finished, updated: 99 })).toBe(99);
    expect(store.lastRunTime({ kind: 'unknown' })).toBe(SEC - SCHEDULE_FALLBACK_OFFSET);
  });

  it('reads broken files and unparsable UPIDs as unknown', async () => {
    const dir = await tempDir();
    const store = new JobStateStore({ dir, clock: new ManualClock(T0) });
    await writeFile(join(dir, 'prunejob-a.json'), '{"started":');
    await writeFile(join(dir, 'prunejob-b.json'), '{"started":{"upid":"UPID:broken"}}');
    expect(await store.read('prunejob', 'a')).toEqual({ kind: 'unknown' });
    expect(await store.read('prunejob', 'b')).toEqual({ kind: 'unknown' });
    await store.updateLastRunTime('prunejob', 'a');
    expect(await store.read('prunejob', 'a')).toEqual({ kind: 'created', time: SEC });
  });

  it('updateLastRunTime restarts the count unless the job runs', async () => {
    const dir = await tempDir();
    const clock = new ManualClock(T0);
    const store = new JobStateStore({ dir, clock });
    await store.markStarted('verificationjob', 'v1', UPID);
    await store.updateLastRunTime('verificationjob', 'v1');
    expect(await store.read('verificationjob', 'v1')).toEqual({ kind: 'started', upid: UPID });
    await store.markFinished('verificationjob', 'v1', UPID, 'OK');
    clock.advance(5000);
    await store.updateLastRunTime('verificationjob', 'v1');
    expect(await store.read('verificationjob', 'v1')).toMatchObject({ kind: 'finished', updated: SEC + 5 });
  });

  it('removes the state and its lock file', async () => {
    const dir = await tempDir();
    const clock = new ManualClock(T0);
    const store = new JobStateStore({ dir, clock });
    await store.markStarted('tape-backup-job', 't1', UPID);
    await store.remove('tape-backup-job', 't1');
    await expect(readFile(join(dir, 'tape-backup-job-t1.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readFile(join(dir, 'tape-backup-job-t1.lck'))).rejects.toMatchObject({ code: 'ENOENT' });
    clock.advance(1000);
    expect(await store.read('tape-backup-job', 't1')).toEqual({ kind: 'created', time: SEC + 1 });
  });

  it('refuses names that would leave the directory', async () => {
    const store = new JobStateStore({ dir: await tempDir() });
    await expectAppError(() => store.read('syncjob', '../x'), 'INVALID_ARGUMENT');
    await expectAppError(() => store.markStarted('a/b', 'x', UPID), 'INVALID_ARGUMENT');
    await expectAppError(() => store.markStarted('syncjob', 'x', 'not a upid'), 'INVALID_ARGUMENT');
  });

  it('with the task manager, reads a started job whose task ended as finished', async () => {
    const dir = await tempDir();
    const { manager, clock } = await setupManager(dir);
    const store = new JobStateStore({ dir: join(dir, 'jobstates'), clock, tasks: manager });
    const gate = deferred();
    const upid = await manager.spawn({
      type: 'garbage_collection',
      id: 's1',
      authId: 'root@pam',
      run: () => gate.promise,
    });
    await store.markStarted('garbage_collection', 's1', upid);
    expect(await store.read('garbage_collection', 's1')).toEqual({ kind: 'started', upid });
    clock.advance(7000);
    gate.reject(new Error('out of space'));
    await waitEnd(manager, upid);
    expect(await store.read('garbage_collection', 's1')).toEqual({
      kind: 'finished',
      upid,
      state: { state: 'error', message: 'out of space', endtime: SEC + 7 },
    });
    // a task whose log is gone ended unknown at its start, as PBS reads it
    const lost = formatUpid({ ...parseUpid(upid), taskId: 99 });
    await store.markStarted('garbage_collection', 's2', lost);
    expect(await store.read('garbage_collection', 's2')).toEqual({
      kind: 'finished',
      upid: lost,
      state: { state: 'unknown', endtime: SEC },
    });
  });
});
