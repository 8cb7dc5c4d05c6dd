import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3TestServer } from '../testing/s3-server.js';
import { S3Client } from './s3-client.js';

let server: S3TestServer;
let client: S3Client;

beforeAll(async () => {
  server = await startS3Server();
  client = new S3Client({ config: server.config(), bucket: server.bucket, retry: { baseDelayMs: 5 } });
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
});

describe('S3Client against s3rver', () => {
  it('puts, gets, heads, lists and deletes objects', async () => {
    expect(await client.putObject('a/x', Buffer.from('hello'), { replace: false })).toBe('created');
    expect(await client.putObject('a/x', Buffer.from('other'), { replace: false })).toBe('exists');
    expect((await client.getObject('a/x')).toString()).toBe('hello');
    expect(await client.headObject('a/x')).toMatchObject({ size: 5 });
    expect(await client.headObject('a/none')).toBeUndefined();
    await expect(client.getObject('a/none')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (let i = 0; i < 5; i++) await client.putObject(`p/${i}`, Buffer.from(String(i)), { replace: true });
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.listObjectsPage('p/', token, 2);
      keys.push(...page.objects.map((o) => o.key));
      token = page.next;
    } while (token);
    expect(keys).toEqual(['p/0', 'p/1', 'p/2', 'p/3', 'p/4']);
    await client.copyObject('p/0', 'p/copy');
    expect((await client.getObject('p/copy')).toString()).toBe('0');
    expect(await client.deletePrefix('p/')).toBe(6);
    expect(await client.hasObjects('p/')).toBe(false);
    await client.checkConnection();
    expect((await client.listBuckets()).map((b) => b.name)).toContain(server.bucket);
    const counts = client.counters.snapshot();
    // s3rver sometimes answers the DeleteObjects of a copied object with a 500: retried, counted
    expect(counts.post).toBeGreaterThanOrEqual(1);
    expect(counts).toMatchObject({ get: 9, head: 3 });
    expect(counts.put).toBe(8);
    expect(counts.uploaded).toBeGreaterThan(10);
    expect(counts.downloaded).toBeGreaterThan(5);
  });

  it("runs PBS's endpoint check: HEAD bucket, PUT, GET, DELETE of a test object", async () => {
    const before = client.counters.snapshot();
    expect((await client.checkReadWrite('store1')).latencyMs).toBeGreaterThanOrEqual(0);
    const after = client.counters.snapshot();
    expect([
      after.head - before.head,
      after.put - before.put,
      after.get - before.get,
      after.delete - before.delete,
    ]).toEqual([1, 1, 1, 1]);
    expect(await client.hasObjects('store1/')).toBe(false);
  });

  it('refuses an endpoint whose certificate does not match the fingerprint, naming what it saw', async () => {
    const wrong = new S3Client({
      config: { ...server.config(), fingerprint: `00${server.fingerprint.slice(2)}` },
      bucket: server.bucket,
      retry: { baseDelayMs: 1 },
    });
    try {
      const err = await wrong.headBucket().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'PERMISSION_DENIED', details: { fingerprint: server.fingerprint } });
      expect(String((err as Error).message)).toMatch(/certificate fingerprint .* does not match/);
      expect(wrong.counters.snapshot().head).toBe(0);
    } finally {
      wrong.destroy();
    }
  });

  it('without a fingerprint, refuses a self-signed certificate', async () => {
    const { fingerprint: _, ...noPin } = server.config();
    const strict = new S3Client({ config: noPin, bucket: server.bucket, retry: { attempts: 1 } });
    try {
      await expect(strict.headBucket()).rejects.toMatchObject({ name: 'AppError' });
    } finally {
      strict.destroy();
    }
  });

  it('reports wrong credentials as PERMISSION_DENIED naming the endpoint', async () => {
    // s3rver does not check SigV4 signatures, but it knows its one access key
    const bad = new S3Client({ config: { ...server.config(), accessKey: 'NOBODY' }, bucket: server.bucket });
    try {
      const err = await bad.putObject('x', Buffer.from('x'), { replace: true }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'PERMISSION_DENIED' });
      expect(String((err as Error).message)).toContain(
        `S3 endpoint '127.0.0.1:${server.port}' bucket '${server.bucket}'`,
      );
    } finally {
      bad.destroy();
    }
  });

  it('reports a missing bucket as NOT_FOUND', async () => {
    const none = new S3Client({ config: server.config(), bucket: 'no-such-bucket' });
    try {
      await expect(none.headBucket()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      none.destroy();
    }
  });

  it('follows the provider quirks: no If-None-Match, one DELETE per key', async () => {
    const quirky = new S3Client({
      config: {
        ...server.config(),
        providerQuirks: ['skip-if-none-match-header', 'delete-objects-via-delete-object'],
      },
      bucket: server.bucket,
    });
    try {
      expect(await quirky.putObject('q/1', Buffer.from('a'), { replace: false })).toBe('created');
      expect(await quirky.putObject('q/1', Buffer.from('b'), { replace: false })).toBe('created');
      expect((await quirky.getObject('q/1')).toString()).toBe('b');
      await quirky.putObject('q/2', Buffer.from('c'), { replace: true });
      await quirky.deleteObjects(['q/1', 'q/2']);
      const counts = quirky.counters.snapshot();
      expect(counts).toMatchObject({ delete: 2, post: 0 });
      expect(await quirky.hasObjects('q/')).toBe(false);
    } finally {
      quirky.destroy();
    }
  });
});
