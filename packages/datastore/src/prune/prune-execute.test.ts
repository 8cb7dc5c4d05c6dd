import { ManualClock } from '@pbs/storage/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDatastore, seedSnapshot, type TestDatastore } from '../testing/index.js';
import { executePrune } from './prune-execute.js';
import { planPrune, planPruneNamespace } from './prune-plan.js';

const DAY = 86_400;
const T0 = 1_700_000_000;
const vm100 = { type: 'vm', id: '100' } as const;
let t: TestDatastore;
let logs: string[];
let warnings: string[];
const ctx = () => ({
  signal: new AbortController().signal,
  log: (m: string) => logs.push(m),
  warn: (m: string) => warnings.push(m),
  progress: () => undefined,
});

beforeEach(async () => {
  t = await makeTestDatastore({ clock: new ManualClock(T0 * 1000) });
  logs = [];
  warnings = [];
});
afterEach(() => t.cleanup());

const seedDays = async (ns: string, group: { type: 'vm' | 'ct' | 'host'; id: string }, days: number) => {
  for (let d = 0; d < days; d++) await seedSnapshot(t.ds, { ns, ...group, time: T0 + d * DAY });
};

describe('prune plan and execution', () => {
  it('plans oldest first and removes the unselected snapshots oldest first', async () => {
    await seedDays('', vm100, 4);
    const plan = await planPrune(t.ds, '', vm100, { keepLast: 2 }, { timeZone: 'utc' });
    expect(plan.map((m) => [m.snapshot.time - T0, m.keep, m.reason])).toEqual([
      [0, false, 'not selected'],
      [DAY, false, 'not selected'],
      [2 * DAY, true, 'keep-last'],
      [3 * DAY, true, 'keep-last'],
    ]);
    const result = await executePrune(t.ds, [{ ns: '', group: vm100, marks: plan }], ctx());
    expect(result).toEqual({ removed: 2, kept: 2, failed: 0 });
    expect(logs.filter((l) => /^(remove|keep) /.test(l))).toEqual([
      'remove vm/100/2023-11-14T22:13:20Z',
      'remove vm/100/2023-11-15T22:13:20Z',
      'keep vm/100/2023-11-16T22:13:20Z',
      'keep vm/100/2023-11-17T22:13:20Z',
    ]);
    expect((await t.ds.listSnapshots('', vm100)).map((s) => s.time)).toEqual([T0 + 2 * DAY, T0 + 3 * DAY]);
  });

  it('skips what became protected or locked since the plan, with warnings', async () => {
    await seedDays('', vm100, 3);
    const plan = await planPrune(t.ds, '', vm100, { keepLast: 1 });
    await t.ds.setProtected('', { ...vm100, time: T0 }, true);
    const writer = await t.ds.beginBackup({ ns: '', group: vm100, time: T0 + 3 * DAY, authId: 'root@pam' });
    // the running backup holds its base (the newest) shared; lock the middle one as a reader would
    const reader = await t.ds.locks.lockSnapshot([], { ...vm100, time: T0 + DAY }, { shared: true });
    const result = await executePrune(t.ds, [{ ns: '', group: vm100, marks: plan }], ctx());
    expect(result).toEqual({ removed: 0, kept: 2, failed: 1 });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/protected since the prune was planned/);
    expect(warnings[1]).toMatch(/failed to remove dir vm\/100\/2023-11-15T22:13:20Z: .*locked/);
    reader.release();
    await writer.abort();
  });

  it('removes a group whose snapshots all go, and treats vanished snapshots as removed', async () => {
    await seedDays('', vm100, 2);
    const plan = await planPrune(t.ds, '', vm100, { keepLast: 1 });
    const removeAll = plan.map((m) => ({ ...m, keep: false, mark: 'remove' as const }));
    await t.ds.removeSnapshot('', { ...vm100, time: T0 });
    expect(await executePrune(t.ds, [{ ns: '', group: vm100, marks: removeAll }], ctx())).toEqual({
      removed: 2,
      kept: 0,
      failed: 0,
    });
    expect(await t.ds.listGroups('')).toEqual([]);
  });

  it('plans every group of a namespace tree to max-depth, and keep-all removes nothing', async () => {
    await t.ds.createNamespace('', 'a');
    await t.ds.createNamespace('a', 'b');
    await seedDays('', vm100, 2);
    await seedDays('a', { type: 'ct', id: '1' }, 2);
    await seedDays('a/b', { type: 'host', id: 'h' }, 2);
    const all = await planPruneNamespace(t.ds, '', { keepLast: 1 });
    expect(all.map((p) => `${p.ns}:${p.group.type}/${p.group.id}`)).toEqual([
      ':vm/100',
      'a:ct/1',
      'a/b:host/h',
    ]);
    const shallow = await planPruneNamespace(t.ds, 'a', { keepLast: 1 }, { maxDepth: 0 });
    expect(shallow.map((p) => p.ns)).toEqual(['a']);
    const keepAll = await planPruneNamespace(t.ds, '', {});
    expect(await executePrune(t.ds, keepAll, ctx())).toEqual({ removed: 0, kept: 6, failed: 0 });
    expect(await executePrune(t.ds, all, ctx())).toEqual({ removed: 3, kept: 3, failed: 0 });
    expect(await t.ds.counts()).toMatchObject({
      vm: { snapshots: 1 },
      ct: { snapshots: 1 },
      host: { snapshots: 1 },
    });
    await expect(planPrune(t.ds, '', { type: 'vm', id: 'nope' }, {})).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('stops when the task is aborted', async () => {
    await seedDays('', vm100, 2);
    const plan = await planPruneNamespace(t.ds, '', { keepLast: 1 });
    const controller = new AbortController();
    controller.abort();
    await expect(executePrune(t.ds, plan, { ...ctx(), signal: controller.signal })).rejects.toThrow();
    expect(await t.ds.listSnapshots('')).toHaveLength(2);
  });
});
