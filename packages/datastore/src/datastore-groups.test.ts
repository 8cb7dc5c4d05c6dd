import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from '@pbs/storage/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTestDatastore, seedSnapshot, type TestDatastore } from './testing/index.js';

const T0 = 1_700_000_000;
const vm100 = { type: 'vm', id: '100' } as const;
let t: TestDatastore;

beforeEach(async () => {
  t = await makeTestDatastore({ clock: new ManualClock(T0 * 1000) });
});
afterEach(() => t.cleanup());

const seed = (time: number, id = '100', files?: { name: string; data: Buffer }[]) =>
  seedSnapshot(t.ds, { type: 'vm', id, time, authId: 'alice@pbs', files });

describe('group listing', () => {
  it('reports PBS GroupListItem fields; an unfinished newest snapshot counts but is not "last"', async () => {
    await seed(T0, '100', [
      { name: 'qemu-server.conf.blob', data: Buffer.from('a') },
      { name: 'drive-scsi0.img.fidx', data: Buffer.alloc(10, 1) },
    ]);
    await seed(T0 + 100);
    await t.ds.setGroupNotes('', vm100, 'first line\nsecond line');
    const running = await t.ds.beginBackup({ ns: '', group: vm100, time: T0 + 200, authId: 'alice@pbs' });
    await seed(T0, '7');
    expect(await t.ds.listGroups('')).toEqual([
      {
        type: 'vm',
        id: '7',
        ns: '',
        lastBackup: T0,
        backupCount: 1,
        files: ['index.json.blob', 'root.pxar.didx'],
        owner: 'alice@pbs',
        comment: undefined,
      },
      {
        type: 'vm',
        id: '100',
        ns: '',
        lastBackup: T0 + 100,
        backupCount: 3,
        files: ['index.json.blob', 'root.pxar.didx'],
        owner: 'alice@pbs',
        comment: 'first line',
      },
    ]);
    await running.abort();
  });

  it('shows a group whose only snapshot is unfinished with that snapshot', async () => {
    const running = await t.ds.beginBackup({ ns: '', group: vm100, time: T0, authId: 'alice@pbs' });
    expect(await t.ds.listGroups('')).toMatchObject([
      { id: '100', lastBackup: T0, backupCount: 1, files: [] },
    ]);
    await running.abort();
    expect(await t.ds.listGroups('')).toEqual([]);
  });

  it('rejects traversal in every entry point', async () => {
    const bad = { code: 'INVALID_ARGUMENT' };
    await expect(t.ds.listGroups('../x')).rejects.toMatchObject(bad);
    await expect(t.ds.getOwner('', { type: 'vm', id: '..' })).rejects.toMatchObject(bad);
    await expect(t.ds.listSnapshots('', { type: 'vm/../host' as 'vm', id: 'x' })).rejects.toMatchObject(bad);
    await seed(T0);
    const snap = { ...vm100, time: T0 };
    await expect(t.ds.openIndex('', snap, '../../../etc/passwd.didx')).rejects.toMatchObject(bad);
    await expect(t.ds.readBlob('', snap, '..')).rejects.toMatchObject(bad);
    await expect(t.ds.readBlob('', snap, 'x\0.blob')).rejects.toMatchObject(bad);
    await expect(
      t.ds.beginBackup({ ns: 'a/../..', group: vm100, time: T0 + 1, authId: 'root@pam' }),
    ).rejects.toMatchObject(bad);
    await expect(t.ds.setOwner('', vm100, 'root@pam\nx')).rejects.toMatchObject(bad);
  });
});

describe('snapshot listing', () => {
  it('reports PBS SnapshotListItem fields from the manifest', async () => {
    await seed(T0, '100', [
      { name: 'qemu-server.conf.blob', data: Buffer.from('cores: 2') },
      { name: 'root.pxar.didx', data: Buffer.alloc(100_000, 3) },
    ]);
    const snap = { ...vm100, time: T0 };
    await t.ds.setSnapshotNotes('', snap, 'note one\nnote two');
    await t.ds.setProtected('', snap, true);
    await t.ds.updateManifest('', snap, (u) => {
      u.verify_state = { state: 'ok', upid: 'UPID:n:00000001:00000001:00000001:6553F100:verify:x:root@pam:' };
      u['key-fingerprint'] = 'aa:'.repeat(31) + 'aa';
    });
    fs.writeFileSync(path.join(t.base, 'vm/100/2023-11-14T22:13:20Z/client.log.blob'), 'x');
    const [info] = await t.ds.listSnapshots('', vm100);
    const manifestSize = fs.statSync(path.join(t.base, 'vm/100/2023-11-14T22:13:20Z/index.json.blob')).size;
    const blobSize = fs.statSync(path.join(t.base, 'vm/100/2023-11-14T22:13:20Z/qemu-server.conf.blob')).size;
    expect(info).toEqual({
      type: 'vm',
      id: '100',
      time: T0,
      ns: '',
      owner: 'alice@pbs',
      protected: true,
      finished: true,
      comment: 'note one',
      verification: { state: 'ok', upid: 'UPID:n:00000001:00000001:00000001:6553F100:verify:x:root@pam:' },
      fingerprint: 'aa:'.repeat(31) + 'aa',
      files: [
        { filename: 'qemu-server.conf.blob', size: blobSize, cryptMode: 'none' },
        { filename: 'root.pxar.didx', size: 100_000, cryptMode: 'none' },
        { filename: 'index.json.blob', size: manifestSize, cryptMode: 'none' },
        { filename: 'client.log.blob', size: null },
      ],
      size: blobSize + 100_000 + manifestSize,
      cryptMode: 'none',
    });
    expect(await t.ds.snapshotInfo('', snap)).toEqual(info);
  });

  it('lists an unfinished snapshot with size null and no metadata', async () => {
    await seed(T0);
    const writer = await t.ds.beginBackup({ ns: '', group: vm100, time: T0 + 1, authId: 'alice@pbs' });
    await writer.writeBlob('x.conf.blob', (await import('./data-blob.js')).DataBlob.encode(Buffer.from('x')));
    const list = await t.ds.listSnapshots('');
    expect(list.map((s) => [s.time, s.finished, s.size])).toEqual([
      [T0, true, expect.any(Number)],
      [T0 + 1, false, null],
    ]);
    expect(list[1]?.files).toEqual([{ filename: 'x.conf.blob', size: null }]);
    await expect(t.ds.loadManifest('', { ...vm100, time: T0 + 1 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await writer.abort();
  });

  it('pages newest first, ties by type and id, reading only the snapshots of the page', async () => {
    for (let i = 0; i < 5; i++) await seed(T0 + i);
    await seedSnapshot(t.ds, { type: 'vm', id: '200', time: T0 + 2, authId: 'bob@pbs' });
    await seedSnapshot(t.ds, { type: 'host', id: 'a', time: T0 + 2, authId: 'alice@pbs' });
    const all = await t.ds.listSnapshots('');
    const newestFirst = [...all].sort(
      (a, b) => b.time - a.time || a.type.localeCompare(b.type) || a.id.localeCompare(b.id),
    );

    const listDir = vi.spyOn(t.ds.backend, 'listDir');
    const page = await t.ds.listSnapshotPage('', { start: 1, limit: 3 });
    expect(page.total).toBe(7);
    expect(page.items).toEqual(newestFirst.slice(1, 4));
    expect(page.items.map((s) => `${s.type}/${s.id}@${s.time - T0}`)).toEqual([
      'vm/100@3',
      'host/a@2',
      'vm/100@2',
    ]);
    // the namespace, its two type directories, three group directories and the page's three snapshots
    expect(listDir).toHaveBeenCalledTimes(1 + 2 + 3 + 3);
    listDir.mockRestore();

    const alicesOnly = await t.ds.listSnapshotPage('', {
      visible: (owner) => owner === 'alice@pbs',
      start: 0,
      limit: 100,
    });
    expect(alicesOnly.total).toBe(6);
    expect(alicesOnly.items.some((s) => s.id === '200')).toBe(false);
    const oneTime = await t.ds.listSnapshotPage('', { group: vm100, time: T0 + 2, start: 0, limit: 10 });
    expect(oneTime.items.map((s) => [s.id, s.time])).toEqual([['100', T0 + 2]]);
    await expect(t.ds.listSnapshotPage('nope', { start: 0, limit: 1 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('NOT_FOUND for missing namespaces, groups and snapshots', async () => {
    await expect(t.ds.listSnapshots('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.ds.listSnapshots('', vm100)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.ds.snapshotInfo('', { ...vm100, time: T0 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.ds.getOwner('', vm100)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('metadata', () => {
  it('keeps the owner with a trailing newline and changes it', async () => {
    await seed(T0);
    expect(fs.readFileSync(path.join(t.base, 'vm/100/owner'), 'utf8')).toBe('alice@pbs\n');
    await t.ds.setOwner('', vm100, 'bob@pbs!token1');
    expect(await t.ds.getOwner('', vm100)).toBe('bob@pbs!token1');
  });

  it('stores snapshot notes in the manifest without touching the signed part', async () => {
    await seed(T0);
    const snap = { ...vm100, time: T0 };
    const before = (await t.ds.loadManifest('', snap)).manifest;
    await t.ds.setSnapshotNotes('', snap, 'hello');
    const after = (await t.ds.loadManifest('', snap)).manifest;
    expect(await t.ds.getSnapshotNotes('', snap)).toBe('hello');
    expect({ ...after, unprotected: {} }).toEqual({ ...before, unprotected: {} });
    expect(after.unprotected.chunk_upload_stats).toEqual(before.unprotected.chunk_upload_stats);
  });

  it('takes comments from the first notes line as Rust lines() does', async () => {
    await seed(T0);
    const snap = { ...vm100, time: T0 };
    await t.ds.setSnapshotNotes('', snap, 'dos line\r\nsecond');
    expect((await t.ds.snapshotInfo('', snap)).comment).toBe('dos line');
    await t.ds.setSnapshotNotes('', snap, '');
    expect((await t.ds.snapshotInfo('', snap)).comment).toBeUndefined();
    await t.ds.setGroupNotes('', vm100, '');
    expect((await t.ds.listGroups(''))[0]?.comment).toBe('');
  });

  it('refuses group notes while a backup of the group runs', async () => {
    await seed(T0);
    const writer = await t.ds.beginBackup({ ns: '', group: vm100, time: T0 + 1, authId: 'alice@pbs' });
    await expect(t.ds.setGroupNotes('', vm100, 'x')).rejects.toMatchObject({
      code: 'BUSY',
      message: "group 'vm/100' is locked by another operation",
    });
    await writer.abort();
    await t.ds.setGroupNotes('', vm100, 'x');
    expect(await t.ds.getGroupNotes('', vm100)).toBe('x');
  });
});

describe('removal', () => {
  it('refuses protected snapshots unless forced, and removes the group with its last snapshot', async () => {
    await seed(T0);
    const snap = { ...vm100, time: T0 };
    await t.ds.setProtected('', snap, true);
    await expect(t.ds.removeSnapshot('', snap)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await t.ds.removeSnapshot('', snap, { force: true });
    expect(fs.existsSync(path.join(t.base, 'vm/100'))).toBe(false);
    expect(fs.readdirSync(t.lockDir)).toEqual([]);
    await expect(t.ds.removeSnapshot('', snap)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses to remove the base snapshot of a running backup (shared lock)', async () => {
    await seed(T0);
    const writer = await t.ds.beginBackup({ ns: '', group: vm100, time: T0 + 1, authId: 'alice@pbs' });
    expect(writer.previous).toEqual({ ...vm100, time: T0 });
    await expect(t.ds.removeSnapshot('', { ...vm100, time: T0 })).rejects.toMatchObject({ code: 'BUSY' });
    await writer.abort();
    await t.ds.removeSnapshot('', { ...vm100, time: T0 });
  });

  it('removes a group except its protected snapshots', async () => {
    for (const time of [T0, T0 + 1, T0 + 2]) await seed(time);
    await t.ds.setProtected('', { ...vm100, time: T0 + 1 }, true);
    expect(await t.ds.removeGroup('', vm100)).toEqual({ removedSnapshots: 2, protectedKept: 1 });
    expect((await t.ds.listSnapshots('', vm100)).map((s) => s.time)).toEqual([T0 + 1]);
    await t.ds.setProtected('', { ...vm100, time: T0 + 1 }, false);
    expect(await t.ds.removeGroup('', vm100)).toEqual({ removedSnapshots: 1, protectedKept: 0 });
    expect(await t.ds.listGroups('')).toEqual([]);
  });
});

describe('moving groups', () => {
  it('merges into an existing group only with the same owner and strictly newer snapshots', async () => {
    await t.ds.createNamespace('', 'dst');
    await seed(T0 + 10);
    await seedSnapshot(t.ds, { ns: 'dst', type: 'vm', id: '100', time: T0, authId: 'alice@pbs' });
    await t.ds.moveGroup('', vm100, 'dst');
    expect((await t.ds.listSnapshots('dst', vm100)).map((s) => s.time)).toEqual([T0, T0 + 10]);
    expect(await t.ds.listGroups('')).toEqual([]);

    await seed(T0 + 5); // older than the target's newest
    await expect(t.ds.moveGroup('', vm100, 'dst')).rejects.toThrow(/snapshot time mismatch/);
    await t.ds.setOwner('', vm100, 'bob@pbs');
    await expect(t.ds.moveGroup('', vm100, 'dst')).rejects.toThrow(/owner mismatch/);
    await expect(t.ds.moveGroup('', vm100, 'dst', { merge: false })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    await expect(t.ds.moveGroup('', vm100, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await t.ds.listSnapshots('', vm100)).map((s) => s.time)).toEqual([T0 + 5]);
  });
});

describe('status views', () => {
  it('counts groups with snapshots per type over all namespaces', async () => {
    await t.ds.createNamespace('', 'a');
    await seed(T0);
    await seed(T0 + 1);
    await seedSnapshot(t.ds, { ns: 'a', type: 'ct', id: '1', time: T0 });
    expect(await t.ds.counts()).toEqual({
      ct: { groups: 1, snapshots: 1 },
      host: { groups: 0, snapshots: 0 },
      vm: { groups: 1, snapshots: 2 },
    });
    const usage = await t.ds.status();
    expect(usage.total).toBeGreaterThan(0);
    expect(usage.used + usage.avail).toBeLessThanOrEqual(usage.total);
    expect(await t.ds.gcStatus()).toBeNull();
    expect(t.ds.activeWriters()).toBe(0);
  });
});
