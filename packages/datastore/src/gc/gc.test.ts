import fs from 'node:fs';
import path from 'node:path';
import type { StorageBackend } from '@pbs/storage';
import { ManualClock } from '@pbs/storage/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZERO_CHUNK_DIGEST } from '../chunk-store.js';
import { DataBlob } from '../data-blob.js';
import { Datastore } from '../datastore.js';
import { sha256Digest, type Digest } from '../digest.js';
import { appendMovedIndices } from '../move-journal.js';
import { makeTestDatastore, seedSnapshot, type TestDatastore } from '../testing/index.js';
import { runGarbageCollection } from './gc-run.js';

const T0 = 1_700_000_000;
const HOUR = 3600;
const CUTOFF = 24 * HOUR + 300;
const UPID = 'UPID:node:00000001:00000001:00000001:6553F100:garbage_collection:store1:root@pam:';
let clock: ManualClock;
let t: TestDatastore;
let logs: string[];
let warnings: string[];

const ctx = () => ({
  signal: new AbortController().signal,
  upid: UPID,
  log: (m: string) => logs.push(m),
  warn: (m: string) => warnings.push(m),
  progress: () => undefined,
});
const at = (sec: number) => clock.set(sec * 1000);

function chunk(text: string): { digest: Digest; blob: DataBlob } {
  const data = Buffer.from(text.repeat(100));
  return { digest: sha256Digest(data), blob: DataBlob.encode(data) };
}

async function insert(text: string): Promise<Digest> {
  const { digest, blob } = chunk(text);
  await t.ds.chunkStore.insertChunk(digest, blob);
  return digest;
}

const exists = async (name: string) => (await t.backend.statChunk(name)) !== undefined;
const indexDigests = async (
  ns: string,
  snap: { type: 'vm' | 'ct' | 'host'; id: string; time: number },
  name = 'root.pxar.didx',
) => [...(await t.ds.openIndex(ns, snap, name)).digests()];

beforeEach(async () => {
  clock = new ManualClock(T0 * 1000);
  t = await makeTestDatastore({ clock });
  logs = [];
  warnings = [];
});
afterEach(() => t.cleanup());

describe('garbage collection (§6)', () => {
  it('removes unreferenced chunks older than the cutoff, keeps younger ones pending and referenced ones', async () => {
    await seedSnapshot(t.ds, {
      type: 'vm',
      id: '100',
      time: T0,
      files: [{ name: 'root.pxar.didx', data: Buffer.alloc(200_000, 1) }],
    });
    const referenced = await indexDigests('', { type: 'vm', id: '100', time: T0 });
    const old = await insert('old');
    at(T0 + 12 * HOUR);
    const young = await insert('young');
    at(T0 + CUTOFF + HOUR);
    const status = await runGarbageCollection(t.ds, ctx());
    expect(await exists(old)).toBe(false);
    expect(await exists(young)).toBe(true);
    for (const d of referenced) expect(await exists(d)).toBe(true);
    expect(status).toMatchObject({
      upid: UPID,
      indexFileCount: 1,
      indexDataBytes: 200_000,
      removedChunks: 1,
      pendingChunks: 1,
      removedBad: 0,
      stillBad: 0,
    });
    expect(status.diskChunks).toBe(new Set(referenced).size + 1); // + the zero chunk of the atime check
    const oldSize = chunk('old').blob.raw.length;
    expect(status.removedBytes).toBe(oldSize);
    expect(status.pendingBytes).toBe(chunk('young').blob.raw.length);
    expect(await t.ds.gcStatus()).toEqual(status);
    const file = fs.readFileSync(path.join(t.base, '.gc-status'), 'utf8');
    expect(Object.keys(JSON.parse(file) as object)).toEqual([
      'upid',
      'index-file-count',
      'index-data-bytes',
      'disk-bytes',
      'disk-chunks',
      'removed-bytes',
      'removed-chunks',
      'pending-bytes',
      'pending-chunks',
      'removed-bad',
      'still-bad',
      'cache-stats',
    ]);
    expect(logs).toContain(`Removed garbage: ${oldSize} B`);
    expect(logs).toContain('Removed chunks: 1');
    expect(logs.some((l) => /^Pending removals: \d+ B \(in 1 chunks\)$/.test(l))).toBe(true);
    expect(logs).toContain('Original data usage: 195.313 KiB');
    expect(logs.some((l) => l.startsWith('Deduplication factor: '))).toBe(true);
    expect(logs).toContain('Using access time cutoff 1d 5m, minimum access time is 2023-11-14T23:13:20Z');
    at(T0 + 2 * CUTOFF + 2 * HOUR);
    await runGarbageCollection(t.ds, ctx());
    expect(await exists(young)).toBe(false);
  });

  it('protects what a backup that started before GC inserted (oldest writer - 5 min)', async () => {
    at(T0 - HOUR);
    const older = await insert('older than the writer');
    at(T0 - 100);
    const near = await insert('just before the writer');
    at(T0);
    const writer = await t.ds.beginBackup({
      ns: '',
      group: { type: 'host', id: 'w' },
      time: T0,
      authId: 'root@pam',
    });
    const own = chunk('written by the running backup');
    await writer.insertChunk(own.digest, own.blob);
    at(T0 + CUTOFF + HOUR);
    const status = await runGarbageCollection(t.ds, ctx());
    expect(logs).toContain(
      'Oldest backup writer started at 2023-11-14T22:13:20Z, extending minimum access time to 2023-11-14T22:08:20Z',
    );
    expect(await exists(own.digest)).toBe(true);
    expect(await exists(near)).toBe(true); // inside the 5 minute safety gap: pending
    expect(await exists(older)).toBe(false);
    expect(status).toMatchObject({ removedChunks: 1, pendingChunks: 1 });
    const index = await writer.createDynamicIndex('root.pxar.didx');
    await index.addChunk(own.blob.decode().length, own.digest);
    const csum = (await index.close()).toString('hex');
    const { encodeManifestBlob } = await import('../manifest-signature.js');
    const manifest = encodeManifestBlob({
      backupType: 'host',
      backupId: 'w',
      backupTime: T0,
      files: [{ filename: 'root.pxar.didx', cryptMode: 'none', size: own.blob.decode().length, csum }],
      unprotected: {},
      signature: null,
    });
    await writer.finish(manifest.raw);
  });

  it('keeps a chunk that a backup inserts during the sweep (the re-check under the digest lock)', async () => {
    for (const raceWithInsert of [false, true]) {
      const victim = chunk(`victim ${raceWithInsert}`);
      at(T0);
      await t.ds.chunkStore.insertChunk(victim.digest, victim.blob);
      at(T0 + CUTOFF + HOUR + (raceWithInsert ? CUTOFF * 2 : 0));
      const writer = await t.ds.beginBackup({
        ns: '',
        group: { type: 'host', id: `race-${raceWithInsert}` },
        time: Math.floor(clock.now() / 1000),
        authId: 'root@pam',
      });
      const racing = Object.create(t.backend) as StorageBackend;
      racing.listChunkFiles = async function* (opts) {
        for await (const entry of t.backend.listChunkFiles(opts)) {
          // the listing has seen the old atime; now the backup finds the chunk as a duplicate
          if (raceWithInsert && entry.digest === victim.digest)
            await writer.insertChunk(victim.digest, victim.blob);
          yield entry;
        }
      };
      const ds = await Datastore.open({ name: 'store1', backend: racing, lockDir: t.lockDir, clock });
      await runGarbageCollection(ds, ctx());
      expect(await exists(victim.digest)).toBe(raceWithInsert);
      await writer.abort();
    }
  });

  it('keeps .bad copies while referenced and drops them once a good copy exists', async () => {
    await seedSnapshot(t.ds, {
      type: 'vm',
      id: '100',
      time: T0,
      files: [{ name: 'root.pxar.didx', data: Buffer.from('payload') }],
    });
    const [digest] = await indexDigests('', { type: 'vm', id: '100', time: T0 });
    const bad = await t.ds.chunkStore.renameCorruptChunk(digest as Digest);
    expect(bad).toBe(`${digest}.0.bad`);
    at(T0 + CUTOFF + HOUR);
    const first = await runGarbageCollection(t.ds, ctx());
    expect(await exists(bad as string)).toBe(true);
    expect(warnings.some((w) => w.includes(`unable to access non-existent chunk ${digest}`))).toBe(true);
    expect(first).toMatchObject({ removedBad: 0, stillBad: 0 });
    // a later backup uploads a good copy: the .bad file is no longer touched and ages out
    const good = Buffer.from('payload');
    const w = await t.ds.beginBackup({
      ns: '',
      group: { type: 'vm', id: '100' },
      time: T0 + CUTOFF + 2 * HOUR,
      authId: 'root@pam',
    });
    await w.insertChunk(digest as Digest, DataBlob.encode(good));
    await w.abort();
    at(T0 + 2 * CUTOFF + 3 * HOUR);
    const second = await runGarbageCollection(t.ds, ctx());
    expect(second).toMatchObject({ removedBad: 1 });
    expect(await exists(bad as string)).toBe(false);
    expect(await exists(digest as string)).toBe(true);
  });

  it('marks index files outside the hierarchy and those recorded in the move journal', async () => {
    await seedSnapshot(t.ds, {
      type: 'vm',
      id: '1',
      time: T0,
      files: [{ name: 'root.pxar.didx', data: Buffer.from('stray') }],
    });
    await seedSnapshot(t.ds, {
      type: 'vm',
      id: '2',
      time: T0,
      files: [{ name: 'root.pxar.didx', data: Buffer.from('journal') }],
    });
    const [stray] = await indexDigests('', { type: 'vm', id: '1', time: T0 });
    const [journaled] = await indexDigests('', { type: 'vm', id: '2', time: T0 });
    fs.mkdirSync(path.join(t.base, 'vm/1/not-a-snapshot'));
    fs.renameSync(
      path.join(t.base, 'vm/1/2023-11-14T22:13:20Z/root.pxar.didx'),
      path.join(t.base, 'vm/1/not-a-snapshot/root.pxar.didx'),
    );
    fs.mkdirSync(path.join(t.base, '.moving'));
    fs.renameSync(
      path.join(t.base, 'vm/2/2023-11-14T22:13:20Z/root.pxar.didx'),
      path.join(t.base, '.moving/root.pxar.didx'),
    );
    await appendMovedIndices(t.lockDir, ['.moving/root.pxar.didx', 'vm/9/2020-01-01T00:00:00Z/gone.didx']);
    at(T0 + CUTOFF + HOUR);
    await runGarbageCollection(t.ds, ctx());
    expect(await exists(stray as string)).toBe(true);
    expect(await exists(journaled as string)).toBe(true);
    expect(warnings).toContain(
      "Marked chunks for unexpected index file at 'vm/1/not-a-snapshot/root.pxar.didx'",
    );
    expect(fs.readFileSync(path.join(t.lockDir, '.move-journal'), 'utf8')).toBe('');
  });

  it('counts cache hits for chunks shared between indexes, unless the cache is off', async () => {
    const data = Buffer.alloc(300_000, 5);
    await seedSnapshot(t.ds, {
      type: 'vm',
      id: '1',
      time: T0,
      files: [
        { name: 'a.pxar.didx', data },
        { name: 'b.pxar.didx', data },
      ],
    });
    at(T0 + 10);
    expect((await runGarbageCollection(t.ds, ctx())).cacheStats).toEqual({ hits: 8, misses: 2 });
    const noCache = await t.reopen();
    Object.assign(noCache, { tuning: { ...noCache.tuning, gcCacheCapacity: 0 } });
    at(T0 + 20);
    expect((await runGarbageCollection(noCache, ctx())).cacheStats).toEqual({ hits: 0, misses: 0 });
  });

  it('runs once per datastore at a time', async () => {
    const first = runGarbageCollection(t.ds, ctx());
    const other = await t.reopen();
    await expect(runGarbageCollection(other, ctx())).rejects.toMatchObject({
      code: 'BUSY',
      message: "datastore 'store1': garbage collection already running",
    });
    at(T0 + 1);
    await first;
  });
});

describe('atime safety check', () => {
  it('aborts GC on a store that does not record marks, before removing anything', async () => {
    const old = await insert('old');
    at(T0 + CUTOFF + HOUR);
    const frozen = Object.create(t.backend) as StorageBackend;
    frozen.touchChunk = async (name) => (await t.backend.statChunk(name)) !== undefined; // pretends, changes nothing
    const ds = await Datastore.open({ name: 'store1', backend: frozen, lockDir: t.lockDir, clock });
    await expect(runGarbageCollection(ds, ctx())).rejects.toThrow(
      /access time safety check using pre-existing chunk failed/,
    );
    expect(await exists(old)).toBe(true);
    expect(await t.ds.gcStatus()).toBeNull();
  });

  it('passes on a store stamped by the kernel and the system clock', async () => {
    const live = await makeTestDatastore();
    try {
      await runGarbageCollection(live.ds, ctx());
      expect(logs).toContain('Access time update check successful, proceeding with GC.');
    } finally {
      await live.cleanup();
    }
  });

  it('can be turned off by tuning', async () => {
    const ds = await Datastore.open({
      name: 'store1',
      backend: t.backend,
      lockDir: t.lockDir,
      clock,
      tuning: { gcAtimeSafetyCheck: false },
    });
    await runGarbageCollection(ds, ctx());
    expect(logs).toContain('Access time update check disabled by datastore tuning options.');
    expect((await t.backend.statChunk(ZERO_CHUNK_DIGEST))?.atimeMs).toBe(T0 * 1000);
  });
});
