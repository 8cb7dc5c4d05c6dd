import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  listKeysWithSdk,
  makeSdkClient,
  startS3Server,
  type S3TestServer,
  type SdkClient,
} from '@pbs/storage/testing';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { chunkPrefixOf } from '@pbs/storage';
import { runVerify } from '../verify/verify-run.js';
import { makeS3TestDatastore, seedSnapshot, type TestS3Datastore } from '../testing/index.js';
import type { IndexFile } from '../index-file.js';

/*
 * The datastore engine on S3Backend against s3rver: a backup lands in the bucket exactly in the
 * §11.2 key layout (listed with the AWS SDK itself), restores read through the cache, verify
 * reads the bucket, and removals reach the bucket.
 */

let server: S3TestServer;
let sdk: SdkClient;
let serial = 0;
const T = 1_700_000_000;
const UPID = 'UPID:node:00000001:00000001:00000001:6553F100:verify:s3:root@pam:';

beforeAll(async () => {
  server = await startS3Server();
  sdk = makeSdkClient(server);
});

afterAll(async () => {
  sdk?.destroy();
  await server?.close();
});

async function datastore(extra: { cacheCapacity?: number } = {}): Promise<TestS3Datastore> {
  const t = await makeS3TestDatastore({
    config: server.config(),
    bucket: server.bucket,
    name: `eng${++serial}`,
    sparse: true,
    ...extra,
  });
  onTestFinished(() => t.cleanup());
  return t;
}

const sdkKeys = (prefix: string) => listKeysWithSdk(sdk, server.bucket, prefix);

const FILES = [
  { name: 'qemu-server.conf.blob', data: Buffer.from('memory: 512\n') },
  { name: 'root.pxar.didx', data: Buffer.alloc(200_000, 'pxar data ') },
  { name: 'disk.img.fidx', data: Buffer.concat([Buffer.alloc(100_000, 1), Buffer.from('tail')]) },
];

function digestsOf(index: IndexFile): string[] {
  return [...index.digests()];
}

describe('datastore engine on S3', () => {
  it('stores a backup under the §11.2 key layout, byte-identical to the cache files', async () => {
    const t = await datastore();
    const s = t.ds.name;
    await t.ds.createNamespace('', 'team');
    await seedSnapshot(t.ds, { ns: 'team', type: 'vm', id: '100', time: T, files: FILES });
    const snap = { type: 'vm' as const, id: '100', time: T };
    const dir = 'ns/team/vm/100/2023-11-14T22:13:20Z';
    const chunkKeys = new Set<string>();
    for (const name of ['root.pxar.didx', 'disk.img.fidx']) {
      for (const d of digestsOf(await t.ds.openIndex('team', snap, name)))
        chunkKeys.add(`${s}/.chunks/${chunkPrefixOf(d)}/${d}`);
    }
    const zero = 'bb9f8df61474d25e71fa00722318cd387396ca1736605e1248821cc0de3d3af8';
    chunkKeys.add(`${s}/.chunks/bb9f/${zero}`);
    const expected = [
      `${s}/.in-use`,
      ...chunkKeys,
      `${s}/.cnt/ns/team/.namespace`,
      `${s}/.cnt/${dir}/disk.img.fidx`,
      `${s}/.cnt/${dir}/index.json.blob`,
      `${s}/.cnt/${dir}/qemu-server.conf.blob`,
      `${s}/.cnt/${dir}/root.pxar.didx`,
      `${s}/.cnt/ns/team/vm/100/owner`,
    ].sort();
    expect(await sdkKeys(`${s}/`)).toEqual(expected);
    for (const file of ['index.json.blob', 'disk.img.fidx', 'root.pxar.didx', 'qemu-server.conf.blob']) {
      const local = readFileSync(path.join(t.cacheBase, ...dir.split('/'), file));
      expect(await t.client.getObject(`${s}/.cnt/${dir}/${file}`)).toEqual(local);
    }
    expect((await t.client.getObject(`${s}/.cnt/ns/team/vm/100/owner`)).toString()).toBe('root@pam\n');
  });

  it('restores through a small cache, fetching evicted chunks from the bucket', async () => {
    const t = await datastore({ cacheCapacity: 2 });
    await seedSnapshot(t.ds, { type: 'host', id: 'r', time: T, files: FILES });
    const reader = await t.ds.openReader('', { type: 'host', id: 'r', time: T });
    try {
      const index = await t.ds.openIndex('', { type: 'host', id: 'r', time: T }, 'root.pxar.didx');
      const parts: Buffer[] = [];
      for (const d of digestsOf(index)) parts.push((await reader.loadChunk(d as never)).decode());
      expect(Buffer.concat(parts)).toEqual(FILES[1]?.data);
    } finally {
      reader.close();
    }
    expect(t.backend.chunkCache.size).toBeLessThanOrEqual(2);
  });

  it('verifies from the bucket and moves a corrupt object to its .bad key', async () => {
    const t = await datastore();
    await seedSnapshot(t.ds, { type: 'host', id: 'v', time: T, files: FILES });
    const ctx = {
      signal: new AbortController().signal,
      upid: UPID,
      log: () => undefined,
      warn: () => undefined,
      progress: () => undefined,
    };
    expect((await runVerify(t.ds, ctx, { ns: '' })).failedSnapshots).toEqual([]);
    const index = await t.ds.openIndex('', { type: 'host', id: 'v', time: T }, 'root.pxar.didx');
    const victim = digestsOf(index)[0] as string;
    const key = `${t.ds.name}/.chunks/${chunkPrefixOf(victim)}/${victim}`;
    await t.client.putObject(key, Buffer.from('garbage, not a blob'), { replace: true });
    const result = await runVerify(t.ds, ctx, { ns: '' });
    expect(result.failedSnapshots).toHaveLength(1);
    expect(await t.client.headObject(key)).toBeUndefined();
    expect((await t.client.getObject(`${key}.0.bad`)).toString()).toBe('garbage, not a blob');
  });

  it('removes a snapshot, its group and a namespace from the bucket', async () => {
    const t = await datastore();
    const s = t.ds.name;
    await t.ds.createNamespace('', 'gone');
    await seedSnapshot(t.ds, { ns: 'gone', type: 'ct', id: '7', time: T });
    await seedSnapshot(t.ds, { ns: 'gone', type: 'ct', id: '7', time: T + 60 });
    await t.ds.setProtected('gone', { type: 'ct', id: '7', time: T }, true);
    expect(await sdkKeys(`${s}/.cnt/ns/gone/ct/7/2023-11-14T22:13:20Z/.protected`)).toHaveLength(1);
    await t.ds.setProtected('gone', { type: 'ct', id: '7', time: T }, false);
    await t.ds.removeSnapshot('gone', { type: 'ct', id: '7', time: T + 60 });
    expect((await sdkKeys(`${s}/.cnt/ns/gone/ct/7/`)).filter((k) => k.includes('22:14:20Z'))).toEqual([]);
    await t.ds.removeNamespace('gone', { deleteGroups: true });
    expect(await sdkKeys(`${s}/.cnt/`)).toEqual([]);
  });

  it('moves groups and namespaces in the bucket too', async () => {
    const t = await datastore();
    const s = t.ds.name;
    await t.ds.createNamespace('', 'a');
    await t.ds.createNamespace('', 'b');
    await seedSnapshot(t.ds, { ns: 'a', type: 'vm', id: '5', time: T });
    await t.ds.setGroupNotes('a', { type: 'vm', id: '5' }, 'moving\n');
    await t.ds.moveGroup('a', { type: 'vm', id: '5' }, 'b');
    const keys = await sdkKeys(`${s}/.cnt/`);
    expect(keys.filter((k) => k.includes('/vm/5/'))).toEqual(
      expect.arrayContaining([
        `${s}/.cnt/ns/b/vm/5/owner`,
        `${s}/.cnt/ns/b/vm/5/notes`,
        `${s}/.cnt/ns/b/vm/5/2023-11-14T22:13:20Z/index.json.blob`,
      ]),
    );
    expect(keys.some((k) => k.startsWith(`${s}/.cnt/ns/a/vm/`))).toBe(false);
    await t.ds.moveNamespace('b', 'c');
    const after = await sdkKeys(`${s}/.cnt/`);
    expect(after).toContain(`${s}/.cnt/ns/c/.namespace`);
    expect(after).toContain(`${s}/.cnt/ns/c/vm/5/2023-11-14T22:13:20Z/index.json.blob`);
    expect(after.some((k) => k.startsWith(`${s}/.cnt/ns/b/`))).toBe(false);
    expect((await t.ds.listSnapshots('c')).map((x) => x.id)).toEqual(['5']);
  });

  it('keeps no cached copies for a no-cache backup, only markers', async () => {
    const t = await datastore();
    const writer = await t.ds.beginBackup({
      ns: '',
      group: { type: 'host', id: 'nc' },
      time: T,
      authId: 'root@pam',
      noCache: true,
    });
    const { DataBlob } = await import('../data-blob.js');
    const { sha256Digest } = await import('../digest.js');
    const data = Buffer.from('no cache please '.repeat(100));
    const digest = sha256Digest(data);
    await writer.insertChunk(digest, DataBlob.encode(data), { size: data.length });
    await writer.abort();
    expect((await t.backend.statChunk(digest))?.size).toBe(0);
    expect(
      await t.client.headObject(`${t.ds.name}/.chunks/${chunkPrefixOf(digest)}/${digest}`),
    ).toBeDefined();
  });
});
