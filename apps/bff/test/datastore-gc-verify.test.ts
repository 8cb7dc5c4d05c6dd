/**
 * Verify (datastore, group and snapshot scope; a corrupted chunk on disk) and garbage collection
 * (task, .gc-status, job state, one at a time) over tRPC and REST.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
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

const store = 'gcv';
const base = `/admin/datastore/${store}`;
const t0 = utc(2024, 3, 1);
const vm100 = { type: 'vm', id: '100' } as const;
const victim = { type: 'vm', id: '666' } as const;
const victimData = Buffer.from('the one chunk that will rot on disk\n'.repeat(40));
const victimDigest = crypto.createHash('sha256').update(victimData).digest('hex');
const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

describe('verify and garbage collection', () => {
  let server: TestServer & { dataDir: string };
  let admin: Actor;
  let storeDir = '';

  const verification = async (group: { type: 'vm' | 'host'; id: string }) =>
    (await admin.trpc.snapshot.list.query({ store, group })).items.map((s) => s.verification);

  beforeAll(async () => {
    server = await startServer({ http: true });
    admin = await adminActor(server);
    storeDir = await createTestDatastore(server, store);
    const ds = await openStore(server, store);
    await seed(ds, [
      { ...vm100, time: t0 },
      { ...vm100, time: t0 + 3600 },
      { type: 'host', id: 'h', time: t0 },
      { ...victim, time: t0, files: [{ name: 'disk.img.fidx', data: victimData }] },
    ]);
  });
  afterAll(async () => {
    await server.close();
    await fs.rm(server.dataDir, { recursive: true, force: true });
    await fs.rm(storeDir, { recursive: true, force: true });
  });

  it('verifies the whole datastore, a group and a snapshot, recording the state in each manifest', async () => {
    const { taskId } = await admin.trpc.verify.run.mutate({ store });
    expect(taskId).toMatch(/:verify:gcv:admin@pbs:$/);
    expect((await waitTask(server.services, taskId)).status).toBe('OK');
    expect(await taskLog(server.services, taskId)).toContain('found 3 groups');
    expect(await verification(vm100)).toEqual([
      { state: 'ok', upid: taskId },
      { state: 'ok', upid: taskId },
    ]);

    // REST defaults to ignore-verified=true (PBS): already verified snapshots are skipped.
    const skip = data<string>(
      await admin.rest.post(`${base}/verify`, { 'backup-type': 'vm', 'backup-id': '100' }),
    );
    expect(skip).toMatch(/:verify_group:/);
    expect((await waitTask(server.services, skip)).status).toBe('OK');
    expect((await verification(vm100)).map((v) => v?.upid)).toEqual([taskId, taskId]);
    const again = data<string>(
      await admin.rest.post(`${base}/verify`, {
        'backup-type': 'vm',
        'backup-id': '100',
        'ignore-verified': 0,
      }),
    );
    expect((await waitTask(server.services, again)).status).toBe('OK');
    expect((await verification(vm100)).map((v) => v?.upid)).toEqual([again, again]);

    const one = await admin.trpc.verify.run.mutate({ store, snapshot: { ...vm100, time: t0 } });
    expect(one.taskId).toMatch(/:verify_snapshot:/);
    expect((await waitTask(server.services, one.taskId)).status).toBe('OK');
    const states = await admin.trpc.snapshot.list.query({ store, group: vm100 });
    expect(states.items.find((s) => s.time === t0)?.verification?.upid).toBe(one.taskId);
    expect(states.items.find((s) => s.time === t0 + 3600)?.verification?.upid).toBe(again);

    const missing = await trpcFailure(
      admin.trpc.verify.run.mutate({ store, group: { type: 'vm', id: '9' } }),
    );
    expect(missing.app).toBe('NOT_FOUND');
  });

  it('fails verification on a corrupted chunk, naming the snapshot, and renames the chunk to .0.bad', async () => {
    const chunk = path.join(storeDir, '.chunks', victimDigest.slice(0, 4), victimDigest);
    const bytes = await fs.readFile(chunk);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    await fs.writeFile(chunk, bytes);

    const upid = data<string>(await admin.rest.post(`${base}/verify`, { 'ignore-verified': 0 }));
    const end = await waitTask(server.services, upid);
    const name = `vm/666/${iso(t0)}`;
    expect(end.state).toBe('error');
    expect(end.status).toBe(`verification failed on 1 snapshot(s): ${name}`);
    const log = await taskLog(server.services, upid);
    expect(log).toContain('Failed to verify the following snapshots/groups:');
    expect(log).toContain(`\t${name}`);
    await expect(fs.stat(chunk)).rejects.toThrow(/ENOENT/);
    await expect(fs.stat(`${chunk}.0.bad`)).resolves.toBeTruthy();

    expect(await verification(victim)).toEqual([{ state: 'failed', upid }]);
    expect((await verification(vm100)).map((v) => v?.state)).toEqual(['ok', 'ok']);
    const rest = data<Array<Record<string, unknown>>>(
      await admin.rest.get(`${base}/snapshots`, { 'backup-type': 'vm', 'backup-id': '666' }),
    );
    expect(rest[0]?.verification).toEqual({ state: 'failed', upid });

    // The snapshot scope fails too, now that the chunk is gone.
    const { taskId } = await admin.trpc.verify.run.mutate({ store, snapshot: { ...victim, time: t0 } });
    expect((await waitTask(server.services, taskId)).status).toBe(
      `verification failed on 1 snapshot(s): ${name}`,
    );
  });

  it('runs garbage collection as one job per datastore, writes .gc-status and the job state', async () => {
    const starts = await Promise.allSettled([
      admin.trpc.gc.run.mutate({ store }),
      admin.trpc.gc.run.mutate({ store }),
    ]);
    const started = starts.flatMap((s) => (s.status === 'fulfilled' ? [s.value.taskId] : []));
    expect(started).toHaveLength(1);
    const upid = started[0] ?? '';
    expect(upid).toMatch(/:garbage_collection:gcv:admin@pbs:$/);
    const refused = starts.find((s) => s.status === 'rejected');
    expect(refused?.status === 'rejected' && String(refused.reason)).toContain(
      "garbage_collection 'gcv' is already running",
    );
    // While it runs, further starts are refused (GC takes seconds over 65,536 chunk directories).
    const busy = await trpcFailure(admin.trpc.gc.run.mutate({ store }));
    expect(busy).toMatchObject({ code: 'CONFLICT', app: 'BUSY' });
    const restBusy = await admin.rest.post(`${base}/gc`);
    expect(restBusy.status).toBe(409);
    expect((await admin.trpc.gc.status.query({ store })).status.lastRunState).toBe('running');

    const end = await waitTask(server.services, upid);
    // The corrupt chunk was renamed by verify: its index now misses it, which GC warns about.
    expect(end.status).toBe('WARNINGS: 1');
    const log = await taskLog(server.services, upid);
    expect(log[0]).toBe('starting garbage collection on store gcv');
    expect(log).toContain(
      `WARN: warning: unable to access non-existent chunk ${victimDigest}, required by 'vm/666/${iso(t0)}/disk.img.fidx'`,
    );
    expect(log).toContain('Removed chunks: 0');
    // Nothing is old enough to go, not even the fresh .bad copy.
    await expect(
      fs.stat(path.join(storeDir, '.chunks', victimDigest.slice(0, 4), `${victimDigest}.0.bad`)),
    ).resolves.toBeTruthy();

    const written = JSON.parse(await fs.readFile(path.join(storeDir, '.gc-status'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(written.upid).toBe(upid);
    const status = await admin.trpc.gc.status.query({ store });
    expect(status.gcStatus).toMatchObject({ upid, indexFileCount: 4, removedChunks: 0, removedBad: 0 });
    expect(status.gcStatus?.diskChunks).toBeGreaterThan(0);
    expect(status.status).toMatchObject({ lastRunUpid: upid, lastRunState: 'warning' });
    expect(status.status.lastRunEndtime).toBeGreaterThanOrEqual(status.status.lastRunStarttime ?? Infinity);

    const rest = data<Record<string, unknown>>(await admin.rest.get(`${base}/gc`));
    expect(rest).toMatchObject({ upid, 'index-file-count': 4, 'removed-chunks': 0, 'removed-bad': 0 });
    const jobs = data<Array<Record<string, unknown>>>(await admin.rest.get('/admin/gc', { store }));
    expect(jobs).toEqual([
      expect.objectContaining({ store, 'last-run-upid': upid, 'last-run-state': 'WARNING' }),
    ]);
    const dedup = await admin.trpc.datastore.status.query({ store });
    expect(dedup.gcStatus?.upid).toBe(upid);
    expect(dedup.dedupFactor).toBeCloseTo(
      (status.gcStatus?.indexDataBytes ?? 0) / (status.gcStatus?.diskBytes ?? 1),
    );
    expect(dedup.counts).toEqual({
      ct: { groups: 0, snapshots: 0 },
      host: { groups: 1, snapshots: 1 },
      vm: { groups: 2, snapshots: 3 },
    });
    const restStatus = data<Record<string, unknown>>(await admin.rest.get(`${base}/status`));
    expect(restStatus).toMatchObject({
      total: dedup.total,
      counts: dedup.counts,
      'backend-type': 'filesystem',
      'gc-status': expect.objectContaining({ upid, 'index-file-count': 4 }) as unknown,
    });
    expect(restStatus.used).toEqual(expect.any(Number) as unknown);

    const stateFile = path.join(server.services.layout.lib, 'jobstates', `garbage_collection-${store}.json`);
    const state = JSON.parse(await fs.readFile(stateFile, 'utf8')) as {
      finished: { upid: string; state: { Warning?: { count: number; endtime: number } } };
    };
    expect(state.finished.upid).toBe(upid);
    expect(state.finished.state.Warning).toEqual({ count: 1, endtime: status.status.lastRunEndtime });
  });
});
