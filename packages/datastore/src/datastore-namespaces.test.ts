import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from '@pbs/storage/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDatastore, seedSnapshot, type TestDatastore } from './testing/index.js';

/** the AppError a promise rejects with */
async function rejection(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error('expected a rejection');
}

const T0 = 1_700_000_000;
let t: TestDatastore;

beforeEach(async () => {
  t = await makeTestDatastore({ clock: new ManualClock(T0 * 1000) });
});
afterEach(() => t.cleanup());

const seed = (ns: string, id: string, time = T0, authId = 'root@pam') =>
  seedSnapshot(t.ds, { ns, type: 'host', id, time, authId });

describe('namespaces', () => {
  it('creates namespaces below existing parents as ns/<name> directories', async () => {
    expect(await t.ds.createNamespace('', 'a')).toBe('a');
    expect(await t.ds.createNamespace('a', 'b')).toBe('a/b');
    expect(fs.statSync(path.join(t.base, 'ns/a/ns/b')).isDirectory()).toBe(true);
    await expect(t.ds.createNamespace('x', 'y')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.ds.createNamespace('a', 'b')).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await expect(t.ds.createNamespace('a', '../evil')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(t.ds.createNamespace('a', 'b/c')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(fs.readdirSync(t.base).sort()).toEqual(['.chunks', '.lock', 'ns']);
  });

  it('stops at depth 7', async () => {
    let ns = '';
    for (const name of ['1', '2', '3', '4', '5', '6', '7']) ns = await t.ds.createNamespace(ns, name);
    expect(ns).toBe('1/2/3/4/5/6/7');
    await expect(t.ds.createNamespace(ns, '8')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('lists recursively including the parent itself, parents first, limited by max-depth', async () => {
    await t.ds.createNamespace('', 'b');
    await t.ds.createNamespace('', 'a');
    await t.ds.createNamespace('a', 'x');
    await t.ds.createNamespace('a/x', 'y');
    fs.mkdirSync(path.join(t.base, 'ns', '.not-a-namespace'));
    expect((await t.ds.listNamespaces('')).map((n) => n.ns)).toEqual(['', 'a', 'a/x', 'a/x/y', 'b']);
    expect((await t.ds.listNamespaces('', 1)).map((n) => n.ns)).toEqual(['', 'a', 'b']);
    expect((await t.ds.listNamespaces('a', 0)).map((n) => n.ns)).toEqual(['a']);
    expect((await t.ds.listNamespaces('a')).map((n) => n.ns)).toEqual(['a', 'a/x', 'a/x/y']);
    await expect(t.ds.listNamespaces('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.ds.listNamespaces('', 8)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('removes only empty namespaces without deleteGroups', async () => {
    await t.ds.createNamespace('', 'a');
    await t.ds.createNamespace('a', 'empty');
    await t.ds.createNamespace('', 'full');
    await seed('full', 'h1');
    expect((await t.ds.removeNamespace('a', { deleteGroups: false })).removedAll).toBe(true);
    const kept = await t.ds.removeNamespace('full', { deleteGroups: false });
    expect(kept).toMatchObject({ removedAll: false, removedSnapshots: 0 });
    expect((await t.ds.listGroups('full')).map((g) => g.id)).toEqual(['h1']);
    expect((await t.ds.listNamespaces('')).map((n) => n.ns)).toEqual(['', 'full']);
    await expect(t.ds.removeNamespace('', { deleteGroups: true })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(t.ds.removeNamespace('gone', { deleteGroups: true })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('with deleteGroups removes the whole subtree except protected snapshots', async () => {
    await t.ds.createNamespace('', 'a');
    await t.ds.createNamespace('a', 'b');
    await seed('a', 'h1');
    await seed('a/b', 'h2');
    await seed('a/b', 'h3');
    await t.ds.setProtected('a/b', { type: 'host', id: 'h3', time: T0 }, true);
    const result = await t.ds.removeNamespace('a', { deleteGroups: true });
    expect(result).toEqual({ removedAll: false, removedGroups: 2, removedSnapshots: 2, protectedKept: 1 });
    expect((await t.ds.listNamespaces('')).map((n) => n.ns)).toEqual(['', 'a', 'a/b']);
    expect((await t.ds.listSnapshots('a/b')).map((s) => s.id)).toEqual(['h3']);
    await t.ds.setProtected('a/b', { type: 'host', id: 'h3', time: T0 }, false);
    expect((await t.ds.removeNamespace('a', { deleteGroups: true })).removedAll).toBe(true);
    expect(fs.existsSync(path.join(t.base, 'ns/a'))).toBe(false);
  });

  it('moves a namespace subtree with its groups and removes the source', async () => {
    await t.ds.createNamespace('', 'src');
    await t.ds.createNamespace('src', 'child');
    await t.ds.createNamespace('', 'dst');
    await seed('src', 'h1');
    await seed('src/child', 'h2');
    await t.ds.setGroupNotes('src', { type: 'host', id: 'h1' }, 'moved notes');
    await t.ds.moveNamespace('src', 'dst/new');
    expect((await t.ds.listNamespaces('')).map((n) => n.ns)).toEqual(['', 'dst', 'dst/new', 'dst/new/child']);
    expect((await t.ds.listGroups('dst/new')).map((g) => [g.id, g.comment, g.owner])).toEqual([
      ['h1', 'moved notes', 'root@pam'],
    ]);
    expect((await t.ds.listSnapshots('dst/new/child')).map((s) => [s.id, s.finished])).toEqual([
      ['h2', true],
    ]);
  });

  it('refuses impossible namespace moves', async () => {
    await t.ds.createNamespace('', 'a');
    await t.ds.createNamespace('a', 'b');
    await expect(t.ds.moveNamespace('a', 'a/b/c')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(t.ds.moveNamespace('a', 'x/y')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.ds.moveNamespace('', 'x')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(t.ds.moveNamespace('a', 'a')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    let deep = '';
    for (const n of ['1', '2', '3', '4', '5', '6']) deep = await t.ds.createNamespace(deep, n);
    await expect(t.ds.moveNamespace('a', `${deep}/a`)).rejects.toThrow(/depth limit exceeded/);
  });

  it('leaves a group that is in use at the source and names it', async () => {
    await t.ds.createNamespace('', 'src');
    await seed('src', 'busy');
    await seed('src', 'free');
    const writer = await t.ds.beginBackup({
      ns: 'src',
      group: { type: 'host', id: 'busy' },
      time: T0 + 60,
      authId: 'root@pam',
    });
    const busy = await rejection(t.ds.moveNamespace('src', 'dst'));
    expect(busy.code).toBe('BUSY');
    expect(busy.message).toMatch(/'host\/busy' in 'src'/);
    expect((await t.ds.listGroups('dst')).map((g) => g.id)).toEqual(['free']);
    expect((await t.ds.listGroups('src')).map((g) => g.id)).toEqual(['busy']);
    await writer.abort();
  });
});
