import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { describeStorageBackendContract, makeScratchDir } from '../testing/index.js';
import { startS3Server, type S3TestServer } from '../testing/s3-server.js';
import { S3Backend } from './s3-backend.js';
import { S3Client } from './s3-client.js';

/*
 * The storage contract on S3Backend against s3rver (one server for the file, a fresh datastore
 * prefix and cache directory per test), and what only an object store has: the key layout,
 * markers and the cache.
 */

let server: S3TestServer;
let client: S3Client;
let serial = 0;

beforeAll(async () => {
  server = await startS3Server();
  client = new S3Client({ config: server.config(), bucket: server.bucket, retry: { baseDelayMs: 5 } });
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
});

async function makeS3Backend(opts: { clock?: { now(): number }; cacheCapacity?: number } = {}) {
  const dir = await makeScratchDir('pbs-s3cache-');
  const name = `store${++serial}`;
  const backend = new S3Backend({
    name,
    client,
    cacheBase: path.join(dir, 'cache'),
    clock: opts.clock,
    cacheCapacity: opts.cacheCapacity ?? 1000,
    syncLevel: 'none',
  });
  return { backend, cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
}

async function keysOf(prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of client.listObjects(prefix)) out.push(o.key);
  return out;
}

describeStorageBackendContract('S3Backend', ({ clock }) => makeS3Backend({ clock }));

const D1 = '0877f2c915086977222f0f3900b67c702ea391580057fb9e9edef78c31b5f8d4';
const D2 = '0b21bf74e64a37df1a13568bae15423fb0fb87a2ebc994004dc1c28ad01f4b67';
const D3 = '23d4332492b0dd16a6fd7d764fc085624ed5deef445ee5999d03c661bc6b42af';

describe('S3Backend specifics', () => {
  it('lays out chunks, content and namespace markers as PBS does', async () => {
    const { backend, cleanup } = await makeS3Backend();
    onTestFinished(cleanup);
    await backend.initChunkStore();
    await backend.writeChunk(D1, Buffer.from('chunk'));
    await backend.createDir('ns/a/host/x/2024-01-01T00:00:00Z', { parents: true });
    await backend.writeFile('ns/a/host/x/owner', 'root@pam\n');
    await backend.writeFile('ns/a/host/x/2024-01-01T00:00:00Z/.protected', '');
    await backend.writeFile('.gc-status', '{}');
    const s = backend.name;
    expect(await keysOf(`${s}/`)).toEqual([
      `${s}/.chunks/0877/${D1}`,
      `${s}/.cnt/ns/a/.namespace`,
      `${s}/.cnt/ns/a/host/x/2024-01-01T00:00:00Z/.protected`,
      `${s}/.cnt/ns/a/host/x/owner`,
    ]);
    await backend.removeDir('ns/a/host/x', { recursive: true });
    expect(await keysOf(`${s}/.cnt/`)).toEqual([`${s}/.cnt/ns/a/.namespace`]);
  });

  it('keeps zero-length markers for evicted chunks and refills the cache on reads', async () => {
    const { backend, cleanup } = await makeS3Backend({ cacheCapacity: 2 });
    onTestFinished(cleanup);
    for (const [d, text] of [
      [D1, 'one'],
      [D2, 'two'],
      [D3, 'three'],
    ] as const) {
      expect(await backend.writeChunk(d, Buffer.from(text))).toBe(true);
    }
    expect((await backend.statChunk(D1))?.size).toBe(0); // evicted: a marker
    expect((await backend.statChunk(D3))?.size).toBe(5);
    expect((await backend.readChunk(D1)).toString()).toBe('one');
    expect((await backend.statChunk(D1))?.size).toBe(3);
    expect((await backend.statChunk(D2))?.size).toBe(0);
    // a marker says the bucket has it: no upload, reported as kept
    const puts = client.counters.snapshot().put;
    expect(await backend.writeChunk(D2, Buffer.from('two'))).toBe(false);
    expect(client.counters.snapshot().put).toBe(puts);
  });

  it('reads around the cache for verify and finds duplicates by a conditional PUT', async () => {
    const { backend, cleanup } = await makeS3Backend();
    onTestFinished(cleanup);
    await backend.writeChunk(D1, Buffer.from('original'));
    await fsp.writeFile(path.join(backend.localBase, '.chunks', '0877', D1), 'tampered');
    expect((await backend.readChunk(D1)).toString()).toBe('tampered');
    expect((await backend.readChunk(D1, { bypassCache: true })).toString()).toBe('original');
    await backend.cache.removeChunkFiles([D1]);
    expect(await backend.writeChunk(D1, Buffer.from('again'))).toBe(false); // 412
    expect((await backend.readChunk(D1, { bypassCache: true })).toString()).toBe('original');
  });

  it('with noCache uploads every time and leaves only a marker', async () => {
    const { backend, cleanup } = await makeS3Backend();
    onTestFinished(cleanup);
    expect(await backend.writeChunk(D1, Buffer.from('data'), { noCache: true })).toBe(true);
    expect((await backend.statChunk(D1))?.size).toBe(0);
    expect(await backend.writeChunk(D1, Buffer.from('data'), { noCache: true })).toBe(false);
    expect((await backend.readChunk(D1)).toString()).toBe('data');
  });

  it('uploads an index only on commit, before it appears in the cache', async () => {
    const { backend, cleanup } = await makeS3Backend();
    onTestFinished(cleanup);
    await backend.createDir('vm/1/2024-01-01T00:00:00Z', { parents: true });
    const writer = await backend.createFileWriter(
      'vm/1/2024-01-01T00:00:00Z/a.fidx',
      'vm/1/2024-01-01T00:00:00Z/a.tmp_fidx',
    );
    await writer.write(Buffer.from('index'), 0);
    expect(await keysOf(`${backend.name}/.cnt/`)).toEqual([]);
    await writer.commit();
    expect((await client.getObject(`${backend.name}/.cnt/vm/1/2024-01-01T00:00:00Z/a.fidx`)).toString()).toBe(
      'index',
    );
  });

  it('writes, reads and removes the in-use marker', async () => {
    const { backend, cleanup } = await makeS3Backend();
    onTestFinished(cleanup);
    expect(await backend.readInUseMarker()).toBeUndefined();
    await backend.writeInUseMarker('pbs1');
    expect(await backend.readInUseMarker()).toEqual({ hostname: 'pbs1' });
    expect((await client.getObject(`${backend.name}/.in-use`)).toString()).toBe('{"hostname":"pbs1"}');
    await backend.removeInUseMarker();
    expect(await backend.readInUseMarker()).toBeUndefined();
  });
});
