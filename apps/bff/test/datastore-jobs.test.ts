/**
 * Prune and verify jobs (prune.cfg, verification.cfg) over tRPC and REST (/config/prune,
 * /config/verify, /admin/prune, /admin/verify, run now), their status from the job states, and
 * the minute scheduler starting a due GC schedule and a due prune job on the server's clock.
 */
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './harness.js';
import { createTestDatastore, startServer } from './fixtures.js';
import {
  adminActor,
  data,
  openStore,
  seed,
  taskLog,
  trpcFailure,
  userWithRole,
  utc,
  waitTask,
  type Actor,
} from './datastore-helpers.js';

const store = 'jobs';
const DAY_MS = 86_400_000;
const t0 = utc(2024, 5, 1);
const vm100 = { type: 'vm', id: '100' } as const;
const host = { type: 'host', id: 'sched' } as const;

describe('datastore jobs and the scheduler', () => {
  let server: TestServer & { dataDir: string };
  let admin: Actor;
  let storeDir = '';
  let offsetMs = 0;

  /** moves the server's clock; tickets age with it, so log in again */
  const advance = async (ms: number) => {
    offsetMs += ms;
    admin = await adminActor(server);
  };
  const times = async (group: { type: 'vm' | 'host'; id: string }) =>
    (await admin.trpc.snapshot.list.query({ store, group })).items.map((s) => s.time).sort();

  beforeAll(async () => {
    server = await startServer({ http: true, clock: { now: () => Date.now() + offsetMs } });
    admin = await adminActor(server);
    storeDir = await createTestDatastore(server, store);
    const ds = await openStore(server, store);
    await seed(ds, [
      ...[0, 1, 2, 3].map((n) => ({ ...vm100, time: t0 + n * 3600 })),
      ...[0, 1, 2].map((n) => ({ ...host, time: t0 + n * 3600 })),
    ]);
  });
  afterAll(async () => {
    await server.close();
    await fs.rm(server.dataDir, { recursive: true, force: true });
    await fs.rm(storeDir, { recursive: true, force: true });
  });

  it('creates, lists, updates and removes prune jobs over tRPC with digests and field errors', async () => {
    await admin.trpc.pruneJob.create.mutate({
      id: 'pj1',
      store,
      schedule: 'daily',
      keepLast: 2,
      comment: 'one',
    });
    const listed = await admin.trpc.pruneJob.list.query({ store });
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({
      id: 'pj1',
      store,
      schedule: 'daily',
      keepLast: 2,
      comment: 'one',
    });
    expect(listed.items[0]?.status).toMatchObject({ lastRunUpid: null, lastRunState: null });
    // next run: the next midnight (server time zone) after the job was created
    expect(listed.items[0]?.status.nextRun).toBeGreaterThan(Math.floor(Date.now() / 1000));

    const duplicate = await trpcFailure(
      admin.trpc.pruneJob.create.mutate({ id: 'pj1', store, schedule: 'daily' }),
    );
    expect(duplicate.app).toBe('ALREADY_EXISTS');
    const schedule = await trpcFailure(
      admin.trpc.pruneJob.create.mutate({ id: 'p99', store, schedule: 'never ever' }),
    );
    expect(schedule).toMatchObject({ app: 'INVALID_ARGUMENT', details: { field: 'schedule' } });
    const noStore = await trpcFailure(
      admin.trpc.pruneJob.create.mutate({ id: 'p99', store: 'nosuch', schedule: 'daily' }),
    );
    expect(noStore.app).toBe('NOT_FOUND');
    const badId = await trpcFailure(admin.trpc.pruneJob.create.mutate({ id: 'x', store, schedule: 'daily' }));
    expect(badId.fieldErrors?.id).toBeDefined();

    const { digest } = listed;
    await admin.trpc.pruneJob.update.mutate({
      id: 'pj1',
      keepDaily: 7,
      delete: ['keepLast', 'comment'],
      digest,
    });
    const stale = await trpcFailure(
      admin.trpc.pruneJob.update.mutate({ id: 'pj1', comment: 'late', digest }),
    );
    expect(stale).toMatchObject({ code: 'PRECONDITION_FAILED', app: 'STALE_REVISION' });
    const updated = (await admin.trpc.pruneJob.list.query({ store })).items[0];
    expect(updated).toMatchObject({ id: 'pj1', keepDaily: 7 });
    expect(updated).not.toHaveProperty('keepLast');
    expect(updated).not.toHaveProperty('comment');

    const staleRemove = await trpcFailure(admin.trpc.pruneJob.remove.mutate({ id: 'pj1', digest }));
    expect(staleRemove.app).toBe('STALE_REVISION');
    await admin.trpc.pruneJob.remove.mutate({ id: 'pj1' });
    expect((await admin.trpc.pruneJob.list.query({ store })).items).toEqual([]);
    expect((await trpcFailure(admin.trpc.pruneJob.remove.mutate({ id: 'pj1' }))).app).toBe('NOT_FOUND');
  });

  it('manages prune jobs over /config/prune and runs one now over /admin/prune/{id}/run', async () => {
    const created = await admin.rest.post('/config/prune', {
      id: 'rest-prune',
      store,
      schedule: 'mon 04:00',
      'keep-last': 3,
      'max-depth': 0,
    });
    expect(data(created)).toBeNull();
    const listReply = await admin.rest.get('/config/prune');
    const config = data<Array<Record<string, unknown>>>(listReply);
    expect(config).toEqual([
      { id: 'rest-prune', store, schedule: 'mon 04:00', 'keep-last': 3, 'max-depth': 0 },
    ]);
    const digest = listReply.json<{ digest: string }>().digest;
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(
      data(await admin.rest.put('/config/prune/rest-prune', { comment: 'via rest', digest })),
    ).toBeNull();
    expect((await admin.rest.put('/config/prune/rest-prune', { comment: 'stale', digest })).status).toBe(412);
    expect(
      (await admin.rest.post('/config/prune', { id: 'bad-prune', store, schedule: '99:99' })).status,
    ).toBe(400);

    const before = data<Array<Record<string, unknown>>>(await admin.rest.get('/admin/prune', { store }));
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ id: 'rest-prune', comment: 'via rest', 'keep-last': 3 });
    expect(before[0]?.['next-run']).toEqual(expect.any(Number));
    expect(before[0]).not.toHaveProperty('last-run-upid');

    const upid = data<string>(await admin.rest.post('/admin/prune/rest-prune/run'));
    expect(upid).toMatch(/:prunejob:jobs:admin@pbs:$/);
    expect((await waitTask(server.services, upid)).status).toBe('OK');
    expect(await times(vm100)).toEqual([t0 + 3600, t0 + 7200, t0 + 10800]);
    expect(await times(host)).toEqual([t0, t0 + 3600, t0 + 7200]);
    expect(await taskLog(server.services, upid)).toContain("prune job 'rest-prune'");

    const after = data<Array<Record<string, unknown>>>(await admin.rest.get('/admin/prune', { store }));
    expect(after[0]).toMatchObject({ 'last-run-upid': upid, 'last-run-state': 'OK' });
    expect(after[0]?.duration).toEqual(expect.any(Number));
    const status = (await admin.trpc.pruneJob.list.query({ store })).items[0]?.status;
    expect(status).toMatchObject({ lastRunUpid: upid, lastRunState: 'ok' });
    expect(status?.lastRunEndtime).toBeGreaterThanOrEqual(status?.lastRunStarttime ?? Infinity);

    // A disabled job does not run now.
    await admin.trpc.pruneJob.update.mutate({ id: 'rest-prune', disable: true });
    expect((await trpcFailure(admin.trpc.pruneJob.run.mutate({ id: 'rest-prune' }))).app).toBe(
      'INVALID_ARGUMENT',
    );
    expect((await admin.rest.post('/admin/prune/rest-prune/run')).status).toBe(400);
    expect(data(await admin.rest.del('/config/prune/rest-prune'))).toBeNull();
    expect(data(await admin.rest.get('/config/prune'))).toEqual([]);
    expect((await admin.rest.post('/admin/prune/rest-prune/run')).status).toBe(404);
  });

  it('manages verify jobs over tRPC and REST and runs one now', async () => {
    await admin.trpc.verifyJob.create.mutate({ id: 'vj1', store, ignoreVerified: true, outdatedAfter: 30 });
    const reply = await admin.rest.post('/config/verify', {
      id: 'vj2',
      store,
      schedule: 'sun 02:00',
      'ignore-verified': 0,
    });
    expect(data(reply)).toBeNull();
    const config = data<Array<Record<string, unknown>>>(await admin.rest.get('/config/verify', { store }));
    expect(config).toEqual([
      { id: 'vj1', store, 'ignore-verified': true, 'outdated-after': 30 },
      { id: 'vj2', store, schedule: 'sun 02:00', 'ignore-verified': false },
    ]);
    const { digest } = await admin.trpc.verifyJob.list.query({ store });
    await admin.trpc.verifyJob.update.mutate({
      id: 'vj2',
      comment: 'weekly',
      delete: ['ignoreVerified'],
      digest,
    });
    expect((await admin.rest.put('/config/verify/vj2', { comment: 'stale', digest })).status).toBe(412);

    const { taskId } = await admin.trpc.verifyJob.run.mutate({ id: 'vj2' });
    expect(taskId).toMatch(/:verificationjob:jobs\\x3avj2:admin@pbs:$/);
    expect((await waitTask(server.services, taskId)).status).toBe('OK');
    const snapshots = await admin.trpc.snapshot.list.query({ store });
    expect(snapshots.items.every((s) => s.verification?.upid === taskId)).toBe(true);

    // vj1 skips what was verified just now (ignore-verified, outdated after 30 days).
    const upid = data<string>(await admin.rest.post('/admin/verify/vj1/run'));
    expect((await waitTask(server.services, upid)).status).toBe('OK');
    const again = await admin.trpc.snapshot.list.query({ store });
    expect(again.items.every((s) => s.verification?.upid === taskId)).toBe(true);

    const jobs = data<Array<Record<string, unknown>>>(await admin.rest.get('/admin/verify', { store }));
    expect(jobs.find((j) => j.id === 'vj2')).toMatchObject({
      comment: 'weekly',
      'last-run-upid': taskId,
      'last-run-state': 'OK',
    });
    expect(jobs.find((j) => j.id === 'vj1')).toMatchObject({ 'last-run-upid': upid });
    expect(jobs.find((j) => j.id === 'vj1')).not.toHaveProperty('next-run'); // no schedule
    expect(data(await admin.rest.del('/config/verify/vj1'))).toBeNull();
    await admin.trpc.verifyJob.remove.mutate({ id: 'vj2' });
    expect((await admin.trpc.verifyJob.list.query({})).items).toEqual([]);
  });

  it('checks job privileges on the job store: Modify for prune jobs, Verify for verify jobs, Audit to list', async () => {
    await admin.trpc.pruneJob.create.mutate({ id: 'priv-prune', store, schedule: 'daily', keepLast: 5 });
    const reader = await userWithRole(server, 'reader@pbs', [
      { path: `/datastore/${store}`, role: 'DatastoreReader' },
    ]);
    const power = await userWithRole(server, 'jobs-power@pbs', [
      { path: `/datastore/${store}`, role: 'DatastorePowerUser' },
    ]);
    // DatastoreReader = Audit + Verify + Read: lists prune jobs, manages and runs verify jobs.
    expect((await reader.trpc.pruneJob.list.query({})).items.map((j) => j.id)).toEqual(['priv-prune']);
    await reader.trpc.verifyJob.create.mutate({ id: 'reader-verify', store });
    const { taskId } = await reader.trpc.verifyJob.run.mutate({ id: 'reader-verify' });
    expect(taskId).toContain(':reader@pbs:');
    expect((await waitTask(server.services, taskId)).status).toBe('OK');
    await reader.trpc.verifyJob.remove.mutate({ id: 'reader-verify' });
    for (const attempt of [
      () => reader.trpc.pruneJob.create.mutate({ id: 'reader-prune', store, schedule: 'daily' }),
      () => reader.trpc.pruneJob.run.mutate({ id: 'priv-prune' }),
      () => reader.trpc.pruneJob.update.mutate({ id: 'priv-prune', comment: 'x' }),
      () => power.trpc.pruneJob.create.mutate({ id: 'power-prune', store, schedule: 'daily' }),
      () => power.trpc.verifyJob.create.mutate({ id: 'power-verify', store }),
    ]) {
      expect((await trpcFailure(attempt())).code).toBe('FORBIDDEN');
    }
    expect((await reader.rest.post('/admin/prune/priv-prune/run')).status).toBe(403);
    // Without Audit, a PowerUser sees no job of the store.
    expect((await power.trpc.pruneJob.list.query({})).items).toEqual([]);
    expect(data(await power.rest.get('/config/prune'))).toEqual([]);
    await admin.trpc.pruneJob.remove.mutate({ id: 'priv-prune' });
  });

  it("checks job privileges on the job's namespace when it has one (PBS acl_path)", async () => {
    await admin.trpc.namespace.create.mutate({ store, name: 'team' });
    await admin.trpc.pruneJob.create.mutate({ id: 'store-prune', store, schedule: 'daily', keepLast: 5 });
    const teamAdmin = await userWithRole(server, 'team-jobs@pbs', [
      { path: `/datastore/${store}/team`, role: 'DatastoreAdmin' },
    ]);
    await teamAdmin.trpc.pruneJob.create.mutate({
      id: 'team-prune',
      store,
      ns: 'team',
      schedule: 'daily',
      keepLast: 2,
    });
    expect((await teamAdmin.trpc.pruneJob.list.query({})).items.map((j) => j.id)).toEqual(['team-prune']);
    await teamAdmin.trpc.pruneJob.update.mutate({ id: 'team-prune', comment: 'ours' });
    for (const attempt of [
      () =>
        teamAdmin.trpc.pruneJob.create.mutate({ id: 'root-prune', store, schedule: 'daily', keepLast: 1 }),
      () => teamAdmin.trpc.pruneJob.update.mutate({ id: 'team-prune', delete: ['ns'] }),
      () => teamAdmin.trpc.pruneJob.run.mutate({ id: 'store-prune' }),
      () => teamAdmin.trpc.pruneJob.remove.mutate({ id: 'store-prune' }),
    ]) {
      expect((await trpcFailure(attempt())).code).toBe('FORBIDDEN');
    }
    const { taskId } = await teamAdmin.trpc.pruneJob.run.mutate({ id: 'team-prune' });
    expect((await waitTask(server.services, taskId)).status).toBe('OK');
    await teamAdmin.trpc.pruneJob.remove.mutate({ id: 'team-prune' });
    await admin.trpc.pruneJob.remove.mutate({ id: 'store-prune' });
    await admin.trpc.namespace.remove.mutate({ store, ns: 'team' });
  });

  it('starts a due GC schedule and a due prune job from the scheduler, once, on the server clock', async () => {
    await admin.trpc.datastore.update.mutate({ name: store, gcSchedule: 'daily' });
    await admin.trpc.pruneJob.create.mutate({ id: 'sched-prune', store, schedule: 'hourly', keepLast: 1 });
    const { scheduler } = server.services;
    const started = async () => {
      const upids = await scheduler.tick();
      return Object.fromEntries(upids.map((u) => [u.split(':')[6] ?? '', u]));
    };
    // The first sight of a job only records when it was created.
    expect(await started()).not.toHaveProperty('garbage_collection');

    await advance(2 * DAY_MS);
    const due = await started();
    expect(Object.keys(due)).toEqual(expect.arrayContaining(['garbage_collection', 'prunejob']));
    const gc = due.garbage_collection ?? '';
    const prune = due.prunejob ?? '';
    expect(gc).toMatch(/:garbage_collection:jobs:root@pam:$/);
    expect(prune).toMatch(/:prunejob:jobs:root@pam:$/);
    expect((await waitTask(server.services, prune)).status).toBe('OK');
    expect((await waitTask(server.services, gc)).status).toBe('OK');
    expect(await taskLog(server.services, gc)).toContain("task triggered by schedule 'daily'");
    expect(await taskLog(server.services, prune)).toContain("task triggered by schedule 'hourly'");
    expect(await times(vm100)).toEqual([t0 + 10800]);
    expect(await times(host)).toEqual([t0 + 7200]);
    // The GC ran two days "later": everything still referenced must have survived it.
    const verify = await admin.trpc.verify.run.mutate({ store });
    expect((await waitTask(server.services, verify.taskId)).status).toBe('OK');

    const gcJob = (await admin.trpc.gc.list.query()).find((j) => j.store === store);
    expect(gcJob?.status).toMatchObject({ lastRunUpid: gc, lastRunState: 'ok' });
    expect(gcJob?.status.nextRun).toBeGreaterThan(Math.floor((Date.now() + offsetMs) / 1000));
    // Ran already: nothing is due again right away.
    expect(await started()).toEqual({});

    // A store in maintenance gets no scheduled GC; a disabled prune job does not run.
    await admin.trpc.datastore.update.mutate({ name: store, maintenanceMode: { type: 'read-only' } });
    await admin.trpc.pruneJob.update.mutate({ id: 'sched-prune', disable: true });
    await advance(2 * DAY_MS);
    const none = await started();
    expect(none).not.toHaveProperty('garbage_collection');
    expect(none).not.toHaveProperty('prunejob');
  });
});
