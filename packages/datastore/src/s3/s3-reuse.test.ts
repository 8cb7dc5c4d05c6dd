import fsp from 'node:fs/promises';
import path from 'node:path';
import { chunkPrefixOf } from '@pbs/storage';
import {
  listKeysWithSdk,
  makeSdkClient,
  startS3Server,
  type S3TestServer,
  type SdkClient,
} from '@pbs/storage/testing';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DataBlob } from '../data-blob.js';
import { sha256Digest } from '../digest.js';
import { runGarbageCollection } from '../gc/gc-run.js';
import { makeS3TestDatastore, seedSnapshot, type TestS3Datastore } from '../testing/index.js';
import { destroyS3Datastore } from './s3-datastore.js';
import { s3Refresh } from './s3-refresh.js';

/*
 * A second server pointed at the same bucket (pbs-formats §11.4): refused while the in-use
 * marker is there, accepted with overwrite; reuse replaces whatever stale cache it finds and an
 * s3-refresh reproduces the datastore; destroy keeps or deletes the data.
 */

let server: S3TestServer;
let sdk: SdkClient;
let serial = 0;
const T = 1_700_000_000;

beforeAll(async () => {
  server = await startS3Server();
  sdk = makeSdkClient(server);
});

afterAll(async () => {
  sdk?.destroy();
  await server?.close();
});

const log = () => ({
  signal: new AbortController().signal,
  log: () => undefined,
  warn: () => undefined,
  progress: () => undefined,
});

async function open(
  name: string,
  extra: { reuse?: boolean; overwriteInUse?: boolean; hostname?: string } = {},
) {
  const t = await makeS3TestDatastore({ config: server.config(), bucket: server.bucket, name, ...extra });
  onTestFinished(() => t.cleanup());
  return t;
}

async function describeStore(t: TestS3Datastore) {
  const out: unknown[] = [];
  for (const { ns } of await t.ds.listNamespaces('')) {
    for (const s of await t.ds.listSnapshots(ns)) {
      out.push({
        ns,
        type: s.type,
        id: s.id,
        time: s.time,
        files: s.files.map((f) => f.filename),
        protected: s.protected,
        owner: s.owner,
        size: s.size,
      });
    }
    for (const g of await t.ds.listGroups(ns))
      out.push({ ns, group: `${g.type}/${g.id}`, notes: await t.ds.getGroupNotes(ns, g) });
  }
  return out;
}

async function populate(t: TestS3Datastore): Promise<void> {
  await t.ds.createNamespace('', 'prod');
  await t.ds.createNamespace('prod', 'db');
  await seedSnapshot(t.ds, {
    type: 'vm',
    id: '100',
    time: T,
    files: [{ name: 'root.pxar.didx', data: Buffer.alloc(150_000, 'vm100 ') }],
  });
  await seedSnapshot(t.ds, { type: 'vm', id: '100', time: T + 3600 });
  await seedSnapshot(t.ds, { ns: 'prod/db', type: 'ct', id: 'pg', time: T, authId: 'backup@pbs' });
  await t.ds.setProtected('', { type: 'vm', id: '100', time: T }, true);
  await t.ds.setGroupNotes('prod/db', { type: 'ct', id: 'pg' }, 'the database\n');
}

describe('S3 datastore reuse', () => {
  it('refuses a bucket in use, takes it over with overwrite, and s3-refresh reproduces the datastore', async () => {
    const name = `reuse${++serial}`;
    const a = await open(name, { hostname: 'pbs-a' });
    await populate(a);
    const before = await describeStore(a);

    await expect(open(name, { reuse: true, hostname: 'pbs-b' })).rejects.toMatchObject({
      code: 'BUSY',
      message: expect.stringContaining("in use by host 'pbs-a'") as unknown,
    });
    await expect(open(name, { overwriteInUse: true, hostname: 'pbs-b' })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });

    const b = await open(name, { reuse: true, overwriteInUse: true, hostname: 'pbs-b' });
    expect(await b.backend.readInUseMarker()).toEqual({ hostname: 'pbs-b' });
    expect(await describeStore(b)).toEqual(before);
    const index = await b.ds.openIndex('', { type: 'vm', id: '100', time: T }, 'root.pxar.didx');
    const reader = await b.ds.openReader('', { type: 'vm', id: '100', time: T });
    const parts: Buffer[] = [];
    for (const d of index.digests()) parts.push((await reader.loadChunk(d)).decode());
    reader.close();
    expect(Buffer.concat(parts)).toEqual(Buffer.alloc(150_000, 'vm100 '));

    // GC on the new server keeps every chunk: the cache has few files, phase 1 leaves .using markers
    const chunksBefore = await listKeysWithSdk(sdk, server.bucket, `${name}/.chunks/`);
    const ctx = {
      ...log(),
      upid: 'UPID:node:00000001:00000001:00000001:6553F100:garbage_collection:x:root@pam:',
    };
    await runGarbageCollection(b.ds, ctx);
    expect(await listKeysWithSdk(sdk, server.bucket, `${name}/.chunks/`)).toEqual(chunksBefore);

    // a refresh after another server wrote more brings that in too
    await seedSnapshot(a.ds, { type: 'host', id: 'late', time: T });
    const result = await s3Refresh(b.ds, log());
    expect(result.namespaces).toBe(2);
    expect(await describeStore(b)).toEqual(await describeStore(a));
  });

  it('drops a stale cache, chunks included, when reusing (a cached chunk missing from the bucket is uploaded)', async () => {
    const name = `stale${++serial}`;
    const a = await open(name);
    await seedSnapshot(a.ds, { type: 'host', id: 'h', time: T });
    await destroyS3Datastore(a.backend, { destroyData: false });
    expect(await listKeysWithSdk(sdk, server.bucket, `${name}/.in-use`)).toEqual([]);

    // the next server's cache directory still holds old files: a chunk the bucket lacks, a group
    const data = Buffer.from('chunk that only the stale cache has '.repeat(10));
    const digest = sha256Digest(data);
    const b = await open(name, { reuse: true });
    const staleChunk = path.join(b.cacheBase, '.chunks', chunkPrefixOf(digest), digest);
    expect(await fsp.stat(staleChunk).catch(() => undefined)).toBeUndefined();
    // plant stale state as a server crash would leave it, then reuse again over it
    await fsp.writeFile(staleChunk, DataBlob.encode(data).raw);
    await fsp.mkdir(path.join(b.cacheBase, 'vm', '999'), { recursive: true });
    await destroyS3Datastore(b.backend, { destroyData: false });
    const { createS3Datastore } = await import('./s3-datastore.js');
    const c = await createS3Datastore({
      name,
      backend: b.makeBackend(),
      lockDir: b.lockDir,
      hostname: 'c',
      reuse: true,
    });
    expect(await fsp.stat(staleChunk).catch(() => undefined)).toBeUndefined();
    expect(await fsp.stat(path.join(b.cacheBase, 'vm', '999')).catch(() => undefined)).toBeUndefined();
    expect((await c.listSnapshots('')).map((s) => `${s.type}/${s.id}`)).toEqual(['host/h']);
    const { duplicate } = await c.chunkStore.insertChunk(digest, DataBlob.encode(data));
    expect(duplicate).toBe(false);
    expect(await c.backend.statChunk(digest)).toBeDefined();
    expect(
      await listKeysWithSdk(sdk, server.bucket, `${name}/.chunks/${chunkPrefixOf(digest)}/${digest}`),
    ).toHaveLength(1);
  });

  it('destroys all objects of a datastore, and only its own', async () => {
    const a = await open(`gone${++serial}`);
    const other = await open(`gone${serial}x`);
    await seedSnapshot(a.ds, { type: 'host', id: 'h', time: T });
    await seedSnapshot(other.ds, { type: 'host', id: 'h', time: T });
    const { deletedObjects } = await destroyS3Datastore(a.backend, { destroyData: true });
    expect(deletedObjects).toBeGreaterThan(3);
    expect(await listKeysWithSdk(sdk, server.bucket, `${a.ds.name}/`)).toEqual([]);
    expect((await listKeysWithSdk(sdk, server.bucket, `${other.ds.name}/`)).length).toBeGreaterThan(3);
  });
});
