import fs from 'node:fs';
import path from 'node:path';
import type { StorageBackend } from '@pbs/storage';
import { ManualClock } from '@pbs/storage/testing';
import { formatUpid } from '@pbs/tasks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataBlob } from '../data-blob.js';
import { Datastore } from '../datastore.js';
import { makeTestDatastore, seedSnapshot, type TestDatastore } from '../testing/index.js';
import { runVerify } from './verify-run.js';

const T0 = 1_700_000_000;
const DAY = 86_400;
let clock: ManualClock;
let t: TestDatastore;
let logs: string[];

const upidAt = (sec: number) =>
  formatUpid({
    node: 'node',
    pid: 1,
    pstart: 1,
    taskId: 1,
    startTime: sec,
    workerType: 'verify',
    workerId: 'store1',
    authId: 'root@pam',
  });
const ctx = () => ({
  signal: new AbortController().signal,
  upid: upidAt(Math.floor(clock.now() / 1000)),
  log: (m: string) => logs.push(m),
  warn: (m: string) => logs.push(m),
  progress: () => undefined,
});

const chunkFile = (digest: string) => path.join(t.base, '.chunks', digest.slice(0, 4), digest);
const snap = (id: string, time = T0) => ({ type: 'vm' as const, id, time });
const seed = (id: string, data: Buffer, time = T0) =>
  seedSnapshot(t.ds, {
    type: 'vm',
    id,
    time,
    files: [
      { name: 'root.pxar.didx', data },
      { name: 'vm.conf.blob', data: Buffer.from(`conf ${id}`) },
    ],
  });
const digestsOf = async (id: string, time = T0) => [
  ...(await t.ds.openIndex('', snap(id, time), 'root.pxar.didx')).digests(),
];
const stateOf = async (id: string, time = T0) =>
  (await t.ds.snapshotInfo('', snap(id, time))).verification?.state;

beforeEach(async () => {
  clock = new ManualClock(T0 * 1000);
  t = await makeTestDatastore({ clock });
  logs = [];
});
afterEach(() => t.cleanup());

describe('verify (§8)', () => {
  it('renames a corrupt chunk to .0.bad and fails only the snapshots that use it', async () => {
    await seed('1', Buffer.alloc(150_000, 1));
    await seed('2', Buffer.alloc(150_000, 2));
    const [victim] = await digestsOf('1');
    const file = chunkFile(victim as string);
    const bytes = fs.readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    fs.writeFileSync(file, bytes);
    const result = await runVerify(t.ds, ctx(), { ns: '' });
    expect(result).toEqual({
      failedSnapshots: ['vm/1/2023-11-14T22:13:20Z'],
      verifiedSnapshots: 2,
      skipped: 0,
    });
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(`${file}.0.bad`)).toBe(true);
    expect(await stateOf('1')).toBe('failed');
    expect(await stateOf('2')).toBe('ok');
    expect(logs).toContain(`corrupt chunk renamed to '${victim as string}.0.bad'`);
    expect(
      logs.some((l) =>
        /^verify store1:vm\/1\/2023-11-14T22:13:20Z\/root\.pxar\.didx failed: chunks could not be verified$/.test(
          l,
        ),
      ),
    ).toBe(true);
  });

  it('detects a chunk whose CRC is right but whose data is not its digest', async () => {
    await seed('1', Buffer.from('the real data'));
    const [victim] = await digestsOf('1');
    fs.writeFileSync(chunkFile(victim as string), DataBlob.encode(Buffer.from('other data')).raw);
    expect((await runVerify(t.ds, ctx(), { ns: '' })).failedSnapshots).toHaveLength(1);
    expect(fs.existsSync(`${chunkFile(victim as string)}.0.bad`)).toBe(true);
    expect(logs.some((l) => l.includes('wrong digest'))).toBe(true);
  });

  it('reports a missing chunk and a corrupt blob', async () => {
    await seed('1', Buffer.from('data one'));
    await seed('2', Buffer.from('data two'));
    const [gone] = await digestsOf('1');
    fs.rmSync(chunkFile(gone as string));
    await seed('3', Buffer.from('data three'));
    fs.appendFileSync(path.join(t.base, 'vm/2/2023-11-14T22:13:20Z/vm.conf.blob'), 'x');
    const replaced = DataBlob.encode(Buffer.from('a valid blob, but not the one in the manifest'));
    fs.writeFileSync(path.join(t.base, 'vm/3/2023-11-14T22:13:20Z/vm.conf.blob'), replaced.raw);
    const result = await runVerify(t.ds, ctx(), { ns: '' });
    expect(result.failedSnapshots.sort()).toEqual([
      'vm/1/2023-11-14T22:13:20Z',
      'vm/2/2023-11-14T22:13:20Z',
      'vm/3/2023-11-14T22:13:20Z',
    ]);
    expect(logs.some((l) => /vm\/3\/.*vm\.conf\.blob failed: wrong size/.test(l))).toBe(true);
    expect(logs).toContain(`can't verify missing chunk with digest ${gone as string}`);
    expect(logs.some((l) => /vm\.conf\.blob failed: .*crc mismatch/.test(l))).toBe(true);
  });

  it('reads each chunk once per task', async () => {
    const data = Buffer.alloc(200_000, 7);
    await seed('1', data);
    await seed('2', data);
    let reads = 0;
    const counting = Object.create(t.backend) as StorageBackend;
    counting.readChunk = (name, opts) => {
      reads++;
      return t.backend.readChunk(name, opts);
    };
    const ds = await Datastore.open({ name: 'store1', backend: counting, lockDir: t.lockDir, clock });
    await runVerify(ds, ctx(), { ns: '' });
    expect(reads).toBe(new Set(await digestsOf('1')).size);
  });

  it('skips recently verified snapshots with ignore-verified, re-verifies after outdated-after days', async () => {
    await seed('1', Buffer.from('a'));
    await runVerify(t.ds, ctx(), { ns: '' });
    clock.set((T0 + 3 * DAY) * 1000);
    expect(await runVerify(t.ds, ctx(), { ns: '', ignoreVerified: true })).toMatchObject({
      verifiedSnapshots: 0,
      skipped: 1,
    });
    expect(logs).toContain('SKIPPED: verify store1:vm/1/2023-11-14T22:13:20Z (recently verified)');
    expect(await runVerify(t.ds, ctx(), { ns: '', ignoreVerified: true, outdatedAfter: 3 })).toMatchObject({
      skipped: 1,
    });
    expect(await runVerify(t.ds, ctx(), { ns: '', ignoreVerified: true, outdatedAfter: 2 })).toMatchObject({
      verifiedSnapshots: 1,
    });
    expect(await runVerify(t.ds, ctx(), { ns: '' })).toMatchObject({ verifiedSnapshots: 1, skipped: 0 });
    const { manifest } = await t.ds.loadManifest('', snap('1'));
    expect(manifest.unprotected.verify_state).toEqual({ state: 'ok', upid: upidAt(T0 + 3 * DAY) });
  });

  it('skips a snapshot being written, fails a crashed one, and scopes to a group or a snapshot', async () => {
    await t.ds.createNamespace('', 'a');
    await seed('1', Buffer.from('a'));
    await seedSnapshot(t.ds, { ns: 'a', type: 'ct', id: '9', time: T0 });
    await seedSnapshot(t.ds, { type: 'host', id: 'benchmark', time: T0 });
    const writer = await t.ds.beginBackup({
      ns: '',
      group: { type: 'vm', id: '1' },
      time: T0 + 1,
      authId: 'root@pam',
    });
    fs.mkdirSync(path.join(t.base, 'vm/5/2023-11-14T22:13:20Z'), { recursive: true });
    const all = await runVerify(t.ds, ctx(), { ns: '' });
    expect(all).toEqual({ failedSnapshots: ['vm/5/2023-11-14T22:13:20Z'], verifiedSnapshots: 3, skipped: 1 });
    expect(await runVerify(t.ds, ctx(), { ns: '', maxDepth: 0 })).toMatchObject({ verifiedSnapshots: 2 });
    expect(await runVerify(t.ds, ctx(), { ns: 'a' })).toEqual({
      failedSnapshots: [],
      verifiedSnapshots: 1,
      skipped: 0,
    });
    expect(await runVerify(t.ds, ctx(), { ns: '', group: { type: 'vm', id: '1' } })).toMatchObject({
      verifiedSnapshots: 1,
      skipped: 1,
    });
    expect(await runVerify(t.ds, ctx(), { ns: '', snapshot: snap('1') })).toMatchObject({
      verifiedSnapshots: 1,
      skipped: 0,
    });
    await expect(runVerify(t.ds, ctx(), { ns: '', snapshot: snap('1', T0 + 5) })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(runVerify(t.ds, ctx(), { ns: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await writer.abort();
  });

  it('reports progress per snapshot with the bytes read', async () => {
    await seed('1', Buffer.alloc(70_000, 1));
    await seed('2', Buffer.alloc(70_000, 2));
    const updates: Array<Record<string, unknown>> = [];
    await runVerify(t.ds, { ...ctx(), progress: (p) => updates.push(p) }, { ns: '' });
    const last = updates.at(-1);
    expect(last).toMatchObject({ itemsDone: 2, itemsTotal: 2, fraction: 1 });
    expect(last?.bytesDone).toBeGreaterThan(0);
  });
});
