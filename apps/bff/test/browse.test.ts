import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSnapshot } from '@pbs/datastore/testing';
import { encodeDirectory } from '@pbs/pxar';
import type { TestServer } from './harness.js';
import {
  ADMIN_PASSWORD,
  createTestDatastore,
  request,
  restLogin,
  startServer,
  tempDir,
  type Session,
} from './fixtures.js';
import { trpcClient } from './trpc-client.js';

const STORE = 'files';
const T1 = 1_700_000_000;
const T2 = 1_700_003_600;
const snapshotQuery = (time: number) => `backup-type=host&backup-id=box&backup-time=${time}`;
const b64 = (p: string) => encodeURIComponent(Buffer.from(p).toString('base64'));

async function pxarOf(dir: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  await encodeDirectory(dir, (data) => {
    parts.push(Buffer.from(data));
  });
  return Buffer.concat(parts);
}

describe('file browsing and downloads', () => {
  let server: TestServer & { dataDir: string };
  let admin: Session;
  let source: string;
  const big = Buffer.alloc(300_000, 7);

  beforeAll(async () => {
    server = await startServer({ http: true });
    await createTestDatastore(server, STORE);
    admin = await restLogin(server, 'admin@pbs', ADMIN_PASSWORD);
    source = await tempDir('pbs-browse-src-');
    await fs.mkdir(path.join(source, 'docs/deep'), { recursive: true });
    await fs.writeFile(path.join(source, 'docs/readme.txt'), 'hello from the snapshot\n');
    await fs.writeFile(path.join(source, 'docs/deep/big.bin'), big);
    await fs.symlink('readme.txt', path.join(source, 'docs/link'));
    const { datastore } = await server.services.datastores.open(STORE, 'write');
    await seedSnapshot(datastore, {
      type: 'host',
      id: 'box',
      time: T1,
      authId: 'admin@pbs',
      files: [{ name: 'root.pxar.didx', data: await pxarOf(source) }],
    });
    await fs.writeFile(path.join(source, 'docs/readme.txt'), 'changed in the second snapshot\n');
    await seedSnapshot(datastore, {
      type: 'host',
      id: 'box',
      time: T2,
      authId: 'admin@pbs',
      files: [{ name: 'root.pxar.didx', data: await pxarOf(source) }],
    });
  });
  afterAll(async () => {
    await server.close();
    await fs.rm(server.dataDir, { recursive: true, force: true });
    await fs.rm(source, { recursive: true, force: true });
  });

  it('lists the archives, then directories inside them, with types, sizes and times', async () => {
    const client = trpcClient(server.url, admin);
    const snapshot = { type: 'host' as const, id: 'box', time: T1 };
    const root = await client.browse.list.query({ store: STORE, snapshot });
    expect(root.map((e) => [e.name, e.type, e.leaf])).toEqual([['root.pxar.didx', 'd', false]]);
    const docs = await client.browse.list.query({ store: STORE, snapshot, path: 'root.pxar.didx/docs' });
    expect(docs.map((e) => [e.name, e.type]).sort()).toEqual([
      ['deep', 'd'],
      ['link', 'l'],
      ['readme.txt', 'f'],
    ]);
    expect(docs.find((e) => e.name === 'readme.txt')).toMatchObject({
      size: 24,
      leaf: true,
      path: 'root.pxar.didx/docs/readme.txt',
    });
  });

  it('answers the PBS catalog API with base64 file paths', async () => {
    const reply = await request(
      server.url,
      'GET',
      `/api2/json/admin/datastore/${STORE}/catalog?${snapshotQuery(T1)}&filepath=${b64('/root.pxar.didx/docs/deep')}`,
      { headers: admin.read },
    );
    expect(reply.status, reply.text).toBe(200);
    const { data } = reply.json<{
      data: Array<{ filepath: string; text: string; type: string; size: number }>;
    }>();
    expect(data).toEqual([expect.objectContaining({ text: 'big.bin', type: 'f', size: big.length })]);
    expect(Buffer.from(data[0]?.filepath ?? '', 'base64').toString()).toBe(
      '/root.pxar.didx/docs/deep/big.bin',
    );
  });

  it('downloads a file byte for byte, a folder as zip and tar.zst, and a basket of two files', async () => {
    const file = await request(
      server.url,
      'GET',
      `/api2/json/admin/datastore/${STORE}/pxar-file-download?${snapshotQuery(T1)}&filepath=${b64('/root.pxar.didx/docs/deep/big.bin')}`,
      { headers: admin.read },
    );
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toContain('big.bin');
    expect(Buffer.from(file.text, 'latin1').length).toBe(big.length);

    const out = await tempDir('pbs-browse-out-');
    const zip = await fetch(
      `${server.url}/api2/json/admin/datastore/${STORE}/pxar-file-download?${snapshotQuery(T1)}&filepath=${b64('/root.pxar.didx/docs')}`,
      { headers: admin.read },
    );
    expect(zip.headers.get('content-type')).toBe('application/zip');
    await fs.writeFile(path.join(out, 'docs.zip'), Buffer.from(await zip.arrayBuffer()));
    execFileSync('python3', ['-m', 'zipfile', '-e', 'docs.zip', 'zip'], { cwd: out });
    expect(await fs.readFile(path.join(out, 'zip/docs/readme.txt'), 'utf8')).toBe(
      'hello from the snapshot\n',
    );
    expect((await fs.readFile(path.join(out, 'zip/docs/deep/big.bin'))).equals(big)).toBe(true);

    const tarZst = await fetch(
      `${server.url}/api2/json/admin/datastore/${STORE}/pxar-file-download?${snapshotQuery(T1)}&filepath=${b64('/root.pxar.didx/docs')}&tar=1`,
      { headers: admin.read },
    );
    await fs.writeFile(path.join(out, 'docs.tar.zst'), Buffer.from(await tarZst.arrayBuffer()));
    const { decompress } = await import('zstd-napi');
    await fs.writeFile(
      path.join(out, 'docs.tar'),
      decompress(await fs.readFile(path.join(out, 'docs.tar.zst'))),
    );
    await fs.mkdir(path.join(out, 'tar'));
    execFileSync('tar', ['-xf', '../docs.tar'], { cwd: path.join(out, 'tar') });
    expect(await fs.readlink(path.join(out, 'tar/docs/link'))).toBe('readme.txt');
    expect((await fs.readFile(path.join(out, 'tar/docs/deep/big.bin'))).equals(big)).toBe(true);

    const basket = await fetch(
      `${server.url}/api2/json/admin/datastore/${STORE}/pxar-file-download?${snapshotQuery(T1)}&filepath=${b64('/root.pxar.didx/docs/readme.txt')}&filepath=${b64('/root.pxar.didx/docs/deep/big.bin')}`,
      { headers: admin.read },
    );
    await fs.writeFile(path.join(out, 'basket.zip'), Buffer.from(await basket.arrayBuffer()));
    const names = execFileSync('python3', ['-m', 'zipfile', '-l', 'basket.zip'], {
      cwd: out,
      encoding: 'utf8',
    });
    expect(names).toContain('readme.txt');
    expect(names).toContain('big.bin');
    await fs.rm(out, { recursive: true, force: true });
  });

  it('decodes a whole archive and refuses paths outside it', async () => {
    const decoded = await fetch(
      `${server.url}/api2/json/admin/datastore/${STORE}/download-decoded?${snapshotQuery(T1)}&file-name=root.pxar.didx`,
      { headers: admin.read },
    );
    const bytes = Buffer.from(await decoded.arrayBuffer());
    expect(bytes.subarray(0, 8).readBigUInt64LE(0)).toBeGreaterThan(0n);
    const escape = await request(
      server.url,
      'GET',
      `/api2/json/admin/datastore/${STORE}/download?${snapshotQuery(T1)}&file-name=../owner`,
      { headers: admin.read },
    );
    expect(escape.status).toBe(400);
  });

  it("lists a file's versions across the group's snapshots", async () => {
    const client = trpcClient(server.url, admin);
    const found = await client.browse.versions.query({
      store: STORE,
      group: { type: 'host', id: 'box' },
      path: 'root.pxar.didx/docs/readme.txt',
    });
    expect(found.searched).toBe(2);
    expect(found.versions.map((v) => [v.time, v.size])).toEqual([
      [T2, 31],
      [T1, 24],
    ]);
  });

  it('refuses users without Read who do not own the group', async () => {
    await server.services.access.createUser({ userid: 'eve@pbs', password: 'eve-password' });
    await server.services.access.updateAcl({
      path: `/datastore/${STORE}`,
      role: 'DatastoreBackup',
      authId: 'eve@pbs',
    });
    const eve = await restLogin(server, 'eve@pbs', 'eve-password');
    const reply = await request(
      server.url,
      'GET',
      `/api2/json/admin/datastore/${STORE}/pxar-file-download?${snapshotQuery(T1)}&filepath=${b64('/root.pxar.didx/docs/readme.txt')}`,
      { headers: eve.read },
    );
    expect(reply.status).toBe(403);
  });
});

describe('snapshot files and the client log', () => {
  let server: TestServer & { dataDir: string };
  let admin: Session;

  beforeAll(async () => {
    server = await startServer({ http: true });
    await createTestDatastore(server, 'logs');
    admin = await restLogin(server, 'admin@pbs', ADMIN_PASSWORD);
    const { datastore } = await server.services.datastores.open('logs', 'write');
    await seedSnapshot(datastore, { type: 'host', id: 'box', time: T1, authId: 'admin@pbs' });
  });
  afterAll(async () => {
    await server.close();
    await fs.rm(server.dataDir, { recursive: true, force: true });
  });

  it('lists a snapshot files and takes the client log once', async () => {
    const files = await request(
      server.url,
      'GET',
      `/api2/json/admin/datastore/logs/files?${snapshotQuery(T1)}`,
      { headers: admin.read },
    );
    expect(
      files
        .json<{ data: Array<{ filename: string }> }>()
        .data.map((f) => f.filename)
        .sort(),
    ).toEqual(['index.json.blob', 'root.pxar.didx']);
    const { DataBlob } = await import('@pbs/datastore');
    const log = DataBlob.encode(Buffer.from('client said hello\n')).raw;
    const url = `${server.url}/api2/json/admin/datastore/logs/upload-backup-log?${snapshotQuery(T1)}`;
    const headers = { ...admin.write, 'content-type': 'application/octet-stream' };
    expect((await fetch(url, { method: 'POST', headers, body: log })).status).toBe(200);
    const again = await fetch(url, { method: 'POST', headers, body: log });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('already contains a log');
    const decoded = await fetch(
      `${server.url}/api2/json/admin/datastore/logs/download-decoded?${snapshotQuery(T1)}&file-name=client.log.blob`,
      { headers: admin.read },
    );
    expect(await decoded.text()).toBe('client said hello\n');
    const raw = await fetch(
      `${server.url}/api2/json/admin/datastore/logs/download?${snapshotQuery(T1)}&file-name=client.log.blob`,
      { headers: admin.read },
    );
    expect(
      DataBlob.load(Buffer.from(await raw.arrayBuffer()), 'log')
        .decode()
        .toString(),
    ).toBe('client said hello\n');
  });
});
