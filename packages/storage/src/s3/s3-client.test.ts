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
    console.log(client.counters.snapshot());
  });
});
