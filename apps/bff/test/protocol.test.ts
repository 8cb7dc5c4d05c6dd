import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import type http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataBlob, encodeManifestBlob, type ManifestFile } from '@pbs/datastore';
import type { TestServer } from './harness.js';
import { ADMIN_PASSWORD, createTestDatastore, restLogin, startServer, type Session } from './fixtures.js';
import { h2, upgrade } from './protocol-client.js';

const STORE = 'proto';
const sha = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

interface Chunk {
  data: Buffer;
  digest: string;
  blob: Buffer;
}

function chunkOf(text: string | Buffer): Chunk {
  const data = Buffer.isBuffer(text) ? text : Buffer.from(text);
  return { data, digest: sha(data), blob: DataBlob.encode(data).raw };
}

describe('backup and reader protocols', () => {
  let server: TestServer & { dataDir: string };
  let admin: Session;

  beforeAll(async () => {
    server = await startServer();
    await createTestDatastore(server, STORE);
    admin = await restLogin(server, 'admin@pbs', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await server.close();
    await fs.rm(server.dataDir, { recursive: true, force: true });
  });

  const open = async (
    id: string,
    time: number,
    session = admin,
    protocol: 'backup' | 'reader' = 'backup',
  ) => {
    const result = await upgrade({
      port: server.port,
      ca: server.services.certificate.cert,
      path: protocol === 'backup' ? '/api2/json/backup' : '/api2/json/reader',
      protocol: protocol === 'backup' ? 'proxmox-backup-protocol-v1' : 'proxmox-backup-reader-protocol-v1',
      query: { store: STORE, 'backup-type': 'host', 'backup-id': id, 'backup-time': String(time) },
      headers: session.write,
    });
    return result;
  };

  async function uploadDynamic(
    s: http2.ClientHttp2Session,
    name: string,
    chunks: Chunk[],
    upload = true,
  ): Promise<ManifestFile> {
    const wid = (await h2(s, 'POST', '/dynamic_index', { 'archive-name': name })).json<{ data: number }>()
      .data;
    const offsets: number[] = [];
    let end = 0;
    for (const c of chunks) {
      if (upload) {
        const r = await h2(
          s,
          'POST',
          '/dynamic_chunk',
          { wid, digest: c.digest, size: c.data.length, 'encoded-size': c.blob.length },
          c.blob,
        );
        expect(r.status, r.text()).toBe(200);
      }
      offsets.push(end);
      end += c.data.length;
    }
    const put = await h2(s, 'PUT', '/dynamic_index', undefined, {
      wid,
      'digest-list': chunks.map((c) => c.digest),
      'offset-list': offsets,
    });
    expect(put.status, put.text()).toBe(200);
    const csum = crypto.createHash('sha256');
    let at = 0;
    for (const c of chunks) {
      at += c.data.length;
      const le = Buffer.alloc(8);
      le.writeBigUInt64LE(BigInt(at));
      csum.update(le).update(Buffer.from(c.digest, 'hex'));
    }
    const digest = csum.digest('hex');
    const close = await h2(s, 'POST', '/dynamic_close', {
      wid,
      'chunk-count': chunks.length,
      size: end,
      csum: digest,
    });
    expect(close.status, close.text()).toBe(200);
    return { filename: name, cryptMode: 'none', size: end, csum: digest };
  }

  async function finishWith(s: http2.ClientHttp2Session, id: string, time: number, files: ManifestFile[]) {
    const manifest = encodeManifestBlob({
      backupType: 'host',
      backupId: id,
      backupTime: time,
      files,
      unprotected: {},
      signature: null,
    }).raw;
    const blob = await h2(
      s,
      'POST',
      '/blob',
      { 'file-name': 'index.json.blob', 'encoded-size': manifest.length },
      manifest,
    );
    expect(blob.status, blob.text()).toBe(200);
    return h2(s, 'POST', '/finish');
  }

  const closeSession = (s: http2.ClientHttp2Session) =>
    new Promise<void>((resolve) => s.close(() => resolve()));

  async function snapshots(id: string) {
    const { datastore } = await server.services.datastores.open(STORE, 'read');
    return (await datastore.listSnapshots('', { type: 'host', id })).filter((s) => s.finished);
  }

  it('backs up a dynamic archive and a blob, then reads them back through the reader protocol', async () => {
    const { session: s, status } = await open('full', 1_700_000_000);
    expect(status).toBe(101);
    if (s === undefined) return;
    const chunks = [chunkOf('first chunk '), chunkOf('second chunk')];
    const archive = await uploadDynamic(s, 'root.pxar.didx', chunks);
    const conf = DataBlob.encode(Buffer.from('name: box\n')).raw;
    expect(
      (await h2(s, 'POST', '/blob', { 'file-name': 'box.conf.blob', 'encoded-size': conf.length }, conf))
        .status,
    ).toBe(200);
    const finish = await finishWith(s, 'full', 1_700_000_000, [
      archive,
      { filename: 'box.conf.blob', cryptMode: 'none', size: conf.length, csum: sha(conf) },
    ]);
    expect(finish.status, finish.text()).toBe(200);
    await closeSession(s);
    expect((await snapshots('full')).map((x) => x.files.map((f) => f.filename).sort())).toEqual([
      ['box.conf.blob', 'index.json.blob', 'root.pxar.didx'],
    ]);

    const reader = await open('full', 1_700_000_000, admin, 'reader');
    expect(reader.status).toBe(101);
    const r = reader.session;
    if (r === undefined) return;
    const early = await h2(r, 'GET', '/chunk', { digest: chunks[0]?.digest ?? '' });
    expect(early.status).toBe(401);
    expect(early.text()).toContain('not allowed');
    const index = await h2(r, 'GET', '/download', { 'file-name': 'root.pxar.didx' });
    expect(index.body.length).toBe(4096 + 2 * 40);
    for (const c of chunks) {
      const got = await h2(r, 'GET', '/chunk', { digest: c.digest });
      expect(
        DataBlob.load(got.body, 'chunk')
          .decode({ digest: c.digest as never })
          .equals(c.data),
      ).toBe(true);
    }
    const speed = await h2(r, 'GET', '/speedtest');
    expect(speed.body.length).toBe(1024 * 1024);
    await closeSession(r);
  });

  it('lets an incremental backup reference the previous snapshot chunks without uploading them', async () => {
    const chunk = chunkOf('shared between snapshots');
    const first = (await open('incr', 1_700_000_000)).session;
    if (first === undefined) throw new Error('no session');
    const file = await uploadDynamic(first, 'data.didx', [chunk]);
    expect((await finishWith(first, 'incr', 1_700_000_000, [file])).status).toBe(200);
    await closeSession(first);

    const second = (await open('incr', 1_700_000_100)).session;
    if (second === undefined) throw new Error('no session');
    expect((await h2(second, 'GET', '/previous_backup_time')).json()).toEqual({ data: 1_700_000_000 });
    const unknown = await h2(second, 'POST', '/dynamic_index', { 'archive-name': 'data.didx' });
    const wid = unknown.json<{ data: number }>().data;
    const refused = await h2(second, 'PUT', '/dynamic_index', undefined, {
      wid,
      'digest-list': [chunk.digest],
      'offset-list': [0],
    });
    expect(refused.status).toBe(400);
    expect(refused.text()).toContain('no such chunk');
    expect((await h2(second, 'GET', '/previous', { 'archive-name': 'data.didx' })).status).toBe(200);
    const accepted = await h2(second, 'PUT', '/dynamic_index', undefined, {
      wid,
      'digest-list': [chunk.digest],
      'offset-list': [0],
    });
    expect(accepted.status, accepted.text()).toBe(200);
    await closeSession(second);
  });

  it('accepts an image of unknown size (no size on fixed_index), sized by its chunks', async () => {
    const s = (await open('stream', 1_700_000_000)).session;
    if (s === undefined) throw new Error('no session');
    const wid = (await h2(s, 'POST', '/fixed_index', { 'archive-name': 'stream.img.fidx' })).json<{
      data: number;
    }>().data;
    const full = chunkOf(Buffer.alloc(4 * 1024 * 1024, 1));
    const tail = chunkOf(Buffer.alloc(1000, 2));
    for (const c of [full, tail]) {
      const r = await h2(
        s,
        'POST',
        '/fixed_chunk',
        { wid, digest: c.digest, size: c.data.length, 'encoded-size': c.blob.length },
        c.blob,
      );
      expect(r.status, r.text()).toBe(200);
    }
    const put = await h2(s, 'PUT', '/fixed_index', undefined, {
      wid,
      'digest-list': [full.digest, tail.digest],
      'offset-list': [0, 4 * 1024 * 1024],
    });
    expect(put.status, put.text()).toBe(200);
    const size = 4 * 1024 * 1024 + 1000;
    const csum = crypto
      .createHash('sha256')
      .update(Buffer.from(full.digest, 'hex'))
      .update(Buffer.from(tail.digest, 'hex'))
      .digest('hex');
    const wrong = await h2(s, 'POST', '/fixed_close', { wid, 'chunk-count': 2, size: size + 1, csum });
    expect(wrong.status).toBe(400);
    const close = await h2(s, 'POST', '/fixed_close', { wid, 'chunk-count': 2, size, csum });
    expect(close.status, close.text()).toBe(200);
    const finish = await finishWith(s, 'stream', 1_700_000_000, [
      { filename: 'stream.img.fidx', cryptMode: 'none', size, csum },
    ]);
    expect(finish.status, finish.text()).toBe(200);
    await closeSession(s);
    expect((await snapshots('stream'))[0]?.files.find((f) => f.filename === 'stream.img.fidx')?.size).toBe(
      size,
    );
  });

  it('refuses wrong digests, truncated and oversize bodies, out-of-order offsets, and leaves no snapshot', async () => {
    const s = (await open('bad', 1_700_000_000)).session;
    if (s === undefined) throw new Error('no session');
    const wid = (await h2(s, 'POST', '/dynamic_index', { 'archive-name': 'x.didx' })).json<{ data: number }>()
      .data;
    const good = chunkOf('good data');
    const wrong = await h2(
      s,
      'POST',
      '/dynamic_chunk',
      { wid, digest: sha(Buffer.from('other')), size: good.data.length, 'encoded-size': good.blob.length },
      good.blob,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.text()).toMatch(/digest/);
    const truncated = await h2(
      s,
      'POST',
      '/dynamic_chunk',
      { wid, digest: good.digest, size: good.data.length, 'encoded-size': good.blob.length },
      good.blob.subarray(0, 5),
    );
    expect(truncated.status).toBe(400);
    const oversize = await h2(
      s,
      'POST',
      '/dynamic_chunk',
      { wid, digest: good.digest, size: 17 * 1024 * 1024, 'encoded-size': good.blob.length },
      good.blob,
    );
    expect(oversize.status).toBe(400);
    expect(
      (
        await h2(
          s,
          'POST',
          '/dynamic_chunk',
          { wid, digest: good.digest, size: good.data.length, 'encoded-size': good.blob.length },
          good.blob,
        )
      ).status,
    ).toBe(200);
    const gap = await h2(s, 'PUT', '/dynamic_index', undefined, {
      wid,
      'digest-list': [good.digest],
      'offset-list': [100],
    });
    expect(gap.status).toBe(400);
    expect(gap.text()).toContain('does not continue');
    const early = await h2(s, 'POST', '/finish');
    expect(early.status).toBe(400);
    await closeSession(s);
    const task = (await server.services.tasks.list({ typefilter: 'backup', limit: 0 })).items.find(
      (t) => t.worker_id === `${STORE}:host/bad`,
    );
    for await (const event of server.services.tasks.follow(task?.upid ?? '', 0)) {
      if (event.kind === 'end') expect(event.status.status).toMatch(/without finish/);
    }
    const { datastore } = await server.services.datastores.open(STORE, 'read');
    expect(await datastore.listSnapshots('', { type: 'host', id: 'bad' }).catch(() => [])).toEqual([]);
  });

  it('refuses anonymous sessions, wrong owners and readers without rights before upgrading', async () => {
    const anon = await open('anon', 1_700_000_000, { ...admin, write: {} });
    expect([anon.status, anon.text]).toEqual([401, 'authentication required']);
    await server.services.access.createUser({ userid: 'bob@pbs', password: 'bob-password' });
    await server.services.access.updateAcl({
      path: `/datastore/${STORE}`,
      role: 'DatastoreBackup',
      authId: 'bob@pbs',
    });
    const bob = await restLogin(server, 'bob@pbs', 'bob-password');
    const foreign = await open('full', 1_700_000_500, bob);
    expect(foreign.status).toBe(403);
    const read = await open('full', 1_700_000_000, bob, 'reader');
    expect(read.status).toBe(403);
    const own = await open('bobs', 1_700_000_000, bob);
    expect(own.status).toBe(101);
    own.session?.destroy();
  });
});
