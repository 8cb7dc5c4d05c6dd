import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskListFilter } from './task-filter.js';
import type { TaskManager } from './task-manager.js';
import { expectAppError } from './testing/app-error.js';
import { deferred } from './testing/deferred.js';
import { readText, setupManager, T0, waitEnd, type ManagerSetup } from './testing/manager.js';
import { useTempDirs } from './testing/temp-dir.js';
import { parseUpid, taskLogPath } from './upid.js';

const tempDir = useTempDirs();
const SEC = T0 / 1000;

interface Spec {
  at: number;
  type: string;
  id: string | null;
  user: string;
  outcome: 'ok' | 'warn' | 'fail' | 'hang';
}

/** Runs each task to its end (except 'hang') at `SEC + at`, 10 s long; returns the UPIDs in order. */
async function runTasks({ clock, manager }: ManagerSetup, specs: Spec[]): Promise<string[]> {
  const upids: string[] = [];
  for (const spec of specs) {
    clock.ms = (SEC + spec.at) * 1000;
    const gate = deferred();
    const upid = await manager.spawn({
      type: spec.type,
      id: spec.id,
      authId: spec.user,
      run: async (ctx) => {
        await gate.promise;
        if (spec.outcome === 'warn') ctx.warn('careful');
        if (spec.outcome === 'fail') throw new Error('failed');
      },
    });
    upids.push(upid);
    if (spec.outcome === 'hang') continue;
    clock.advance(10_000);
    gate.resolve();
    await waitEnd(manager, upid);
  }
  return upids;
}

const specs: Spec[] = [
  { at: 0, type: 'backup', id: 'store1:vm/100', user: 'root@pam', outcome: 'ok' },
  { at: 100, type: 'garbage_collection', id: 'store1', user: 'admin@pbs', outcome: 'fail' },
  { at: 200, type: 'verify', id: 'store2', user: 'root@pam!token', outcome: 'warn' },
  { at: 300, type: 'syncjob', id: 'remote1:rstore:store1::job1', user: 'sync@pbs', outcome: 'ok' },
  { at: 500, type: 'backup', id: 'store2:ct/200', user: 'root@pam', outcome: 'hang' },
];

describe('TaskManager.list', () => {
  async function listed(
    manager: TaskManager,
    upids: string[],
    filter: TaskListFilter,
  ): Promise<[number[], number]> {
    const { items, total } = await manager.list(filter);
    return [items.map((i) => upids.indexOf(i.upid) + 1), total];
  }

  it('lists running tasks first, then finished ones newest first, filtered and paged like PBS', async () => {
    const setup = await setupManager(await tempDir());
    const upids = await runTasks(setup, specs);
    const { manager } = setup;
    expect(await listed(manager, upids, {})).toEqual([[5, 4, 3, 2, 1], 5]);
    expect(await listed(manager, upids, { start: 1, limit: 2 })).toEqual([[4, 3], 5]);
    expect(await listed(manager, upids, { start: 4, limit: 0 })).toEqual([[1], 5]);
    expect(await listed(manager, upids, { running: true })).toEqual([[5], 1]);
    expect(await listed(manager, upids, { errors: true })).toEqual([[5, 3, 2], 3]);
    expect(await listed(manager, upids, { typefilter: 'backup' })).toEqual([[5, 1], 2]);
    expect(await listed(manager, upids, { typefilter: 'sync' })).toEqual([[4], 1]);
    expect(await listed(manager, upids, { statusfilter: ['error', 'warning'] })).toEqual([[3, 2], 2]);
    expect(await listed(manager, upids, { userfilter: 'root' })).toEqual([[5, 3, 1], 3]);
    expect(await listed(manager, upids, { store: 'store1' })).toEqual([[4, 2, 1], 3]);
    expect(await listed(manager, upids, { store: 'store2' })).toEqual([[5, 3], 2]);
    expect(await listed(manager, upids, { since: SEC + 200 })).toEqual([[5, 4, 3], 3]);
    expect(await listed(manager, upids, { until: SEC + 100 })).toEqual([[2, 1], 2]);
    expect(await listed(manager, upids, { typefilter: 'backup', limit: 1, start: 1 })).toEqual([[1], 2]);
  });

  it('describes each task as PBS lists it', async () => {
    const setup = await setupManager(await tempDir());
    const upids = await runTasks(setup, specs.slice(1, 2));
    const { items } = await setup.manager.list();
    const upid = upids[0] ?? '';
    const parsed = parseUpid(upid);
    expect(items).toEqual([
      {
        upid,
        node: 'pbs1',
        pid: process.pid,
        pstart: parsed.pstart,
        starttime: SEC + 100,
        endtime: SEC + 110,
        worker_type: 'garbage_collection',
        worker_id: 'store1',
        user: 'admin@pbs',
        state: 'error',
        status: 'failed',
      },
    ]);
  });

  it('summarises finished tasks per type for the dashboard', async () => {
    const setup = await setupManager(await tempDir());
    await runTasks(setup, specs);
    expect(await setup.manager.stats(SEC + 100)).toEqual({
      garbage_collection: { ok: 0, warning: 0, error: 1 },
      verify: { ok: 0, warning: 1, error: 0 },
      syncjob: { ok: 1, warning: 0, error: 0 },
    });
  });
});

describe('task retention', () => {
  const exists = (path: string): Promise<boolean> =>
    access(path).then(
      () => true,
      () => false,
    );

  it('drops archive entries and logs older than maxDays or beyond maxTasks', async () => {
    const dir = await tempDir();
    const setup = await setupManager(dir, { retention: { maxDays: 30, maxTasks: 3 } });
    const day = 86_400;
    const upids = await runTasks(setup, [
      { at: -40 * day, type: 'a', id: null, user: 'root@pam', outcome: 'ok' },
      { at: -20 * day, type: 'b', id: null, user: 'root@pam', outcome: 'ok' },
      { at: -10 * day, type: 'c', id: null, user: 'root@pam', outcome: 'fail' },
      { at: -5 * day, type: 'd', id: null, user: 'root@pam', outcome: 'ok' },
      { at: -1 * day, type: 'e', id: null, user: 'root@pam', outcome: 'warn' },
    ]);
    setup.clock.ms = T0;
    expect(await setup.manager.rotate()).toEqual({ removed: 2 });
    const archive = (await readText(join(setup.logDir, 'archive'))).trimEnd().split('\n');
    expect(archive.map((line) => line.split(' ')[0])).toEqual(upids.slice(2));
    const logs = await Promise.all(upids.map((u) => exists(taskLogPath(setup.logDir, parseUpid(u)))));
    expect(logs).toEqual([false, false, true, true, true]);
    await expectAppError(() => setup.manager.status(upids[0] ?? ''), 'NOT_FOUND');
    expect(await setup.manager.rotate()).toEqual({ removed: 0 });

    // init() applies the policy of the new manager
    const next = await setupManager(dir, { retention: { maxTasks: 1 }, pstart: 0x4321 });
    expect((await next.manager.list()).items.map((i) => i.upid)).toEqual(upids.slice(4));
  });
});
