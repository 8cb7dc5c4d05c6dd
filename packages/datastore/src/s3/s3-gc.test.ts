import { chunkPrefixOf } from '@pbs/storage';
import {
  listKeysWithSdk,
  makeSdkClient,
  ManualClock,
  startS3Server,
  type S3TestServer,
  type SdkClient,
} from '@pbs/storage/testing';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DataBlob } from '../data-blob.js';
import { sha256Digest, type Digest } from '../digest.js';
import { runGarbageCollection } from '../gc/gc-run.js';
import { makeS3TestDatastore, seedSnapshot, type TestS3Datastore } from '../testing/index.js';

/*
 * Garbage collection on S3 (pbs-formats §6.4) against s3rver: unreferenced objects go after the
 * cutoff, referenced ones stay even when the cache lost their files, and a GC running while
 * backups upload (cached and no-cache) deletes nothing those backups reference.
 */

let server: S3TestServer;
let sdk: SdkClient;
let serial = 0;
const T0 = 1_700_000_000;
const DAY = 86_400;
const UPID = 'UPID:node:00000001:00000001:00000001:6553F100:garbage_collection:s3:root@pam:';

beforeAll(async () => {
  server = await startS3Server();
  sdk = makeSdkClient(server);
});

afterAll(async () => {
  sdk?.destroy();
  await server?.close();
});

function gcContext(logs: string[] = []) {
  return {
    signal: new AbortController().signal,
    upid: UPID,
    log: (m: string) => logs.push(m),
    warn: (m: string) => logs.push(`WARN ${m}`),
    progress: () => undefined,
  };
}

async function setup(clock: ManualClock): Promise<TestS3Datastore> {
  const t = await makeS3TestDatastore({
    config: server.config(),
    bucket: server.bucket,
    name: `gc${++serial}`,
    sparse: true,
    clock,
  });
  onTestFinished(() => t.cleanup());
  return t;
}

function chunk(text: string): { digest: Digest; blob: DataBlob; size: number } {
  const data = Buffer.from(text.repeat(50));
  return { digest: sha256Digest(data), blob: DataBlob.encode(data), size: data.length };
}

const chunkKey = (t: TestS3Datastore, d: string) => `${t.ds.name}/.chunks/${chunkPrefixOf(d)}/${d}`;
const bucketChunks = async (t: TestS3Datastore) =>
  new Set((await listKeysWithSdk(sdk, server.bucket, `${t.ds.name}/.chunks/`)).map((k) => k.slice(-64)));

async function referenced(t: TestS3Datastore): Promise<Set<string>> {
  const out = new Set<string>();
  for (const s of await t.ds.listSnapshots('')) {
    for (const f of s.files) {
      if (!f.filename.endsWith('idx')) continue;
      const index = await t.ds.openIndex('', { type: s.type, id: s.id, time: s.time }, f.filename);
      for (const d of index.digests()) out.add(d);
    }
  }
  return out;
}

describe('garbage collection on S3', () => {
  it('deletes unreferenced objects after the cutoff, in batches, and keeps referenced ones', async () => {
    const clock = new ManualClock(T0 * 1000);
    const t = await setup(clock);
    const writer = await t.ds.beginBackup({
      ns: '',
      group: { type: 'host', id: 'junk' },
      time: T0,
      authId: 'root@pam',
    });
    const garbage: string[] = [];
    for (let i = 0; i < 130; i++) {
      const c = chunk(`garbage ${i}`);
      await writer.insertChunk(c.digest, c.blob, { size: c.size });
      garbage.push(c.digest);
    }
    await writer.abort();
    clock.set((T0 + 60) * 1000);
    await seedSnapshot(t.ds, {
      type: 'vm',
      id: '1',
      time: T0 + 60,
      files: [{ name: 'root.pxar.didx', data: Buffer.alloc(300_000, 'kept ') }],
    });
    clock.set((T0 + 2 * DAY) * 1000);
    const logs: string[] = [];
    const status = await runGarbageCollection(t.ds, gcContext(logs));
    expect(status.removedChunks).toBe(130);
    const inBucket = await bucketChunks(t);
    for (const d of garbage) expect(inBucket.has(d)).toBe(false);
    for (const d of await referenced(t)) expect(inBucket.has(d)).toBe(true);
    expect(logs).toContain('Start GC phase3 (sweep unused chunk markers)');
    expect(await t.backend.statChunk(garbage[0] as string)).toBeUndefined();
  });

  it('keeps referenced objects whose cache files are gone (.using markers) and drops the rest', async () => {
    const clock = new ManualClock(T0 * 1000);
    const t = await setup(clock);
    await seedSnapshot(t.ds, {
      type: 'ct',
      id: '2',
      time: T0,
      files: [{ name: 'root.pxar.didx', data: Buffer.alloc(200_000, 'ref ') }],
    });
    const orphan = chunk('orphan');
    await t.ds.chunkStore.insertChunk(orphan.digest, orphan.blob);
    // the cache loses every chunk file (a new cache disk)
    await fsp.rm(path.join(t.cacheBase, '.chunks'), { recursive: true });
    await t.backend.initChunkStore();
    clock.set((T0 + DAY) * 1000);
    await t.ds.chunkStore.insertZeroChunk(); // the atime check's chunk, before time moves on
    clock.set((T0 + 3 * DAY) * 1000);
    const status = await runGarbageCollection(t.ds, gcContext());
    const inBucket = await bucketChunks(t);
    expect(inBucket.has(orphan.digest)).toBe(false);
    const refs = await referenced(t);
    for (const d of refs) {
      expect(inBucket.has(d)).toBe(true);
      expect((await t.backend.statChunk(d))?.size).toBe(0); // a marker now carries its mark
    }
    expect(status.removedChunks).toBe(1);
    expect(status.diskChunks).toBe(refs.size + 1); // + the zero chunk
  });

  it('deletes nothing a running backup references, cached or no-cache, while GC runs', async () => {
    const clock = new ManualClock(T0 * 1000);
    const t = await setup(clock);
    clock.set((T0 - 3 * DAY) * 1000);
    const old = await t.ds.beginBackup({
      ns: '',
      group: { type: 'host', id: 'old' },
      time: T0 - 3 * DAY,
      authId: 'root@pam',
    });
    const stale = chunk('stale');
    await old.insertChunk(stale.digest, stale.blob, { size: stale.size });
    await old.abort();
    clock.set(T0 * 1000);
    const cached = await t.ds.beginBackup({
      ns: '',
      group: { type: 'host', id: 'cached' },
      time: T0,
      authId: 'root@pam',
    });
    const nocache = await t.ds.beginBackup({
      ns: '',
      group: { type: 'host', id: 'nocache' },
      time: T0,
      authId: 'root@pam',
      noCache: true,
    });
    const sent: Record<string, Digest[]> = { cached: [], nocache: [] };
    const upload = async (name: 'cached' | 'nocache', from: number, to: number) => {
      const writer = name === 'cached' ? cached : nocache;
      for (let i = from; i < to; i++) {
        const c = chunk(`${name} ${i}`);
        await writer.insertChunk(c.digest, c.blob, { size: c.size });
        sent[name]?.push(c.digest);
      }
    };
    await Promise.all([upload('cached', 0, 40), upload('nocache', 0, 40)]);
    clock.set((T0 + 2 * DAY) * 1000);
    const [status] = await Promise.all([
      runGarbageCollection(t.ds, gcContext()),
      upload('cached', 40, 80),
      upload('nocache', 40, 80),
    ]);
    expect(status.removedChunks).toBe(1);
    const inBucket = await bucketChunks(t);
    expect(inBucket.has(stale.digest)).toBe(false);
    for (const d of [...(sent.cached ?? []), ...(sent.nocache ?? [])]) expect(inBucket.has(d)).toBe(true);
    // the backups finish with indexes over everything they sent; every chunk is in the bucket
    for (const [name, writer] of [
      ['cached', cached],
      ['nocache', nocache],
    ] as const) {
      const index = await writer.createDynamicIndex('root.pxar.didx');
      let end = 0;
      for (const d of sent[name] ?? []) await index.addChunk((end += 50 * `${name} 0`.length), d);
      await index.close();
      await writer.abort();
    }
    for (const d of [...(sent.cached ?? []), ...(sent.nocache ?? [])]) {
      expect(await t.client.headObject(chunkKey(t, d))).toBeDefined();
    }
  });
});
