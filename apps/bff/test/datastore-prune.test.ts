/**
 * Prune over tRPC (preview, run as a task) and REST (/prune with dry-run, without and with
 * use-task; /prune-datastore): marks with reasons on seeded times, and exactly the marked
 * snapshots removed.
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
  utc,
  waitTask,
  type Actor,
} from './datastore-helpers.js';

const store = 'prunes';
const base = `/admin/datastore/${store}`;
const vm100 = { type: 'vm', id: '100' } as const;
const h1 = { type: 'host', id: 'h1' } as const;
const vm200 = { type: 'vm', id: '200' } as const;
/** noon on 2024-01-01 … 2024-01-10, plus 13:00 on the 10th (the tests run in UTC or close to it) */
const days = Array.from({ length: 10 }, (_, i) => utc(2024, 1, i + 1));
const latest = utc(2024, 1, 10, 13);
const day = (n: number) => days[n - 1] ?? 0;
const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

describe('prune', () => {
  let server: TestServer & { dataDir: string };
  let admin: Actor;
  let storeDir = '';

  const times = async (group: { type: 'vm' | 'host'; id: string }, ns = '') =>
    (await admin.trpc.snapshot.list.query({ store, ns, group })).items.map((s) => s.time).sort();

  beforeAll(async () => {
    server = await startServer({ http: true });
    admin = await adminActor(server);
    storeDir = await createTestDatastore(server, store);
    const ds = await openStore(server, store);
    await ds.createNamespace('', 'n1');
    await seed(ds, [
      ...days.map((time) => ({ ...vm100, time })),
      { ...vm100, time: latest },
      ...[1, 2, 3].map((n) => ({ ...h1, time: day(n) })),
      ...[1, 2, 3].map((n) => ({ ns: 'n1', ...vm200, time: day(n) })),
    ]);
    await ds.setProtected('', { ...vm100, time: day(3) }, true);
  });
  afterAll(async () => {
    await server.close();
    await fs.rm(server.dataDir, { recursive: true, force: true });
    await fs.rm(storeDir, { recursive: true, force: true });
  });

  it('previews the marks of a group with their reasons, oldest first', async () => {
    const marks = await admin.trpc.prune.preview.query({ store, group: vm100, keepLast: 2, keepDaily: 3 });
    expect(marks.map((m) => [iso(m.time), m.mark, m.keep, m.reason])).toEqual([
      [iso(day(1)), 'remove', false, 'not selected'],
      [iso(day(2)), 'remove', false, 'not selected'],
      [iso(day(3)), 'protected', true, 'protected'],
      [iso(day(4)), 'remove', false, 'not selected'],
      [iso(day(5)), 'remove', false, 'not selected'],
      [iso(day(6)), 'remove', false, 'not selected'],
      [iso(day(7)), 'keep', true, 'keep-daily'],
      [iso(day(8)), 'keep', true, 'keep-daily'],
      [iso(day(9)), 'keep', true, 'keep-daily'],
      [iso(day(10)), 'keep', true, 'keep-last'],
      [iso(latest), 'keep', true, 'keep-last'],
    ]);
    // A second snapshot on a day already kept by keep-daily is removed for that reason.
    const daily = await admin.trpc.prune.preview.query({ store, group: vm100, keepDaily: 2 });
    expect(daily.find((m) => m.time === day(10))).toMatchObject({
      mark: 'remove',
      reason: 'period already kept (keep-daily)',
    });
    // No keep option at all keeps everything (PBS "keep all").
    const none = await admin.trpc.prune.preview.query({ store, group: vm100 });
    expect(none.every((m) => m.keep)).toBe(true);
    // Nothing was removed by previewing.
    expect(await times(vm100)).toHaveLength(11);

    const missing = await trpcFailure(
      admin.trpc.prune.preview.query({ store, group: { type: 'vm', id: '9' }, keepLast: 1 }),
    );
    expect(missing.app).toBe('NOT_FOUND');
    const zero = await trpcFailure(admin.trpc.prune.preview.query({ store, group: vm100, keepLast: 0 }));
    expect(zero.fieldErrors?.keepLast).toBeDefined();
  });

  it('prunes a group as a task, removing exactly the snapshots marked for removal', async () => {
    const marks = await admin.trpc.prune.preview.query({ store, group: vm100, keepLast: 2, keepDaily: 3 });
    const { taskId } = await admin.trpc.prune.run.mutate({ store, group: vm100, keepLast: 2, keepDaily: 3 });
    expect(taskId).toMatch(/:prune:/);
    expect((await waitTask(server.services, taskId)).status).toBe('OK');
    expect(await times(vm100)).toEqual(marks.filter((m) => m.keep).map((m) => m.time));
    const log = await taskLog(server.services, taskId);
    expect(log).toContain(`remove vm/100/${iso(day(1))}`);
    expect(log).toContain(`keep protected vm/100/${iso(day(3))}`);
    expect(log).toContain(`keep vm/100/${iso(latest)}`);
    expect(log).toContain('pruned: 5 removed, 6 kept, 0 failed');
    // Other groups are untouched.
    expect(await times(h1)).toHaveLength(3);
  });

  it('answers POST /prune as PBS: a dry-run listing, a prune before answering, or a task with use-task', async () => {
    const group = { 'backup-type': 'vm', 'backup-id': '100' };
    const dry = data<Array<Record<string, unknown>>>(
      await admin.rest.post(`${base}/prune`, { ...group, 'keep-last': 1, 'dry-run': 1 }),
    );
    expect(dry).toEqual(
      [day(3), day(7), day(8), day(9), day(10), latest].map((time) => ({
        'backup-type': 'vm',
        'backup-id': '100',
        'backup-time': time,
        keep: time === latest || time === day(3),
        protected: time === day(3),
      })),
    );
    expect(await times(vm100)).toHaveLength(6);

    // Without use-task, the reply comes once the snapshots are gone.
    const pruned = data<Array<{ 'backup-time': number; keep: boolean }>>(
      await admin.rest.post(`${base}/prune`, { ...group, 'keep-last': 3 }),
    );
    expect(pruned.filter((m) => !m.keep).map((m) => m['backup-time'])).toEqual([day(7), day(8)]);
    expect(await times(vm100)).toEqual([day(3), day(9), day(10), latest]);

    const upid = data<string>(
      await admin.rest.post(`${base}/prune`, { ...group, 'keep-last': 1, 'use-task': 1 }),
    );
    expect(upid).toMatch(/^UPID:.*:prune:/);
    expect((await waitTask(server.services, upid)).status).toBe('OK');
    expect(await times(vm100)).toEqual([day(3), latest]);

    // A listing in a namespace names it; bad keep options are refused.
    const inNs = data<Array<Record<string, unknown>>>(
      await admin.rest.post(`${base}/prune`, {
        ns: 'n1',
        'backup-type': 'vm',
        'backup-id': '200',
        'keep-last': 1,
        'dry-run': 1,
      }),
    );
    expect(inNs.map((m) => m.ns)).toEqual(['n1', 'n1', 'n1']);
    expect((await admin.rest.post(`${base}/prune`, { ...group, 'keep-last': 0, 'dry-run': 1 })).status).toBe(
      400,
    );
    expect(
      (await admin.rest.post(`${base}/prune`, { 'backup-type': 'vm', 'backup-id': 'nope', 'dry-run': 1 }))
        .status,
    ).toBe(404);
  });

  it('prunes a namespace tree with /prune-datastore and prune.run: dry-run logs only, max-depth limits', async () => {
    const dryUpid = data<string>(
      await admin.rest.post(`${base}/prune-datastore`, { 'keep-last': 1, 'dry-run': 1 }),
    );
    expect((await waitTask(server.services, dryUpid)).status).toBe('OK');
    const dryLog = await taskLog(server.services, dryUpid);
    expect(dryLog).toContain('(dry test run)');
    expect(dryLog).toContain(`would remove host/h1/${iso(day(1))}`);
    expect(dryLog).toContain(`would keep host/h1/${iso(day(3))}`);
    expect(dryLog).toContain(`would remove vm/200/${iso(day(2))}`);
    expect(await times(h1)).toHaveLength(3);
    expect(await times(vm200, 'n1')).toHaveLength(3);

    const rootOnly = data<string>(
      await admin.rest.post(`${base}/prune-datastore`, { 'keep-last': 2, 'max-depth': 0 }),
    );
    expect((await waitTask(server.services, rootOnly)).status).toBe('OK');
    expect(await times(h1)).toEqual([day(2), day(3)]);
    expect(await times(vm200, 'n1')).toHaveLength(3);

    const { taskId } = await admin.trpc.prune.run.mutate({ store, ns: 'n1', keepLast: 1 });
    expect((await waitTask(server.services, taskId)).status).toBe('OK');
    expect(await times(vm200, 'n1')).toEqual([day(3)]);
    expect(await times(h1)).toEqual([day(2), day(3)]);
    // As in PBS, a missing namespace fails the task, not the request.
    const missing = await admin.trpc.prune.run.mutate({ store, ns: 'nope', keepLast: 1 });
    const end = await waitTask(server.services, missing.taskId);
    expect(end.state).toBe('error');
    expect(end.status).toContain("'nope'");
  });
});
