import { chunkPrefixOf } from '@pbs/storage';
import { startFaultProxy, startS3Server, type FaultProxy, type S3TestServer } from '@pbs/storage/testing';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DataBlob } from '../data-blob.js';
import { sha256Digest } from '../digest.js';
import { makeS3TestDatastore, seedSnapshot, type TestS3Datastore } from '../testing/index.js';

/*
 * Faults between the datastore and its bucket: a proxy that answers 5xx, stalls or drops
 * connections (retried, the backup and restore succeed), and the S3 server stopped in the
 * middle of a backup (the backup fails with BACKEND_UNAVAILABLE, no finished snapshot refers to
 * a chunk missing from the bucket, the next backup after a restart succeeds).
 */

let server: S3TestServer;
let proxy: FaultProxy;
let serial = 0;
const T = 1_700_000_000;

beforeAll(async () => {
  server = await startS3Server();
  proxy = await startFaultProxy(server);
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

async function setup(viaProxy: boolean): Promise<TestS3Datastore> {
  const t = await makeS3TestDatastore({
    config: viaProxy ? proxy.config() : server.config(),
    bucket: server.bucket,
    name: `fault${++serial}`,
    sparse: true,
    idleTimeoutMs: 400,
  });
  onTestFinished(() => t.cleanup());
  return t;
}

const DATA = Buffer.alloc(640 * 1024);
for (let i = 0; i < DATA.length; i++) DATA[i] = (i * 7919) % 251;

/** Every chunk of every finished snapshot is in the bucket. */
async function expectFinishedSnapshotsComplete(t: TestS3Datastore): Promise<number> {
  let checked = 0;
  for (const s of await t.ds.listSnapshots('')) {
    if (!s.finished) continue;
    for (const f of s.files) {
      if (!f.filename.endsWith('idx')) continue;
      const index = await t.ds.openIndex('', s, f.filename);
      for (const d of index.digests()) {
        expect(await t.client.headObject(`${t.ds.name}/.chunks/${chunkPrefixOf(d)}/${d}`)).toBeDefined();
        checked++;
      }
    }
  }
  return checked;
}

describe('S3 faults', () => {
  it('retries 5xx bursts, stalled answers and dropped connections, and the backup and restore succeed', async () => {
    const t = await setup(true);
    // each request may fail twice: the third attempt gets through
    for (const fault of [
      { kind: 'status', status: 503 },
      { kind: 'status', status: 500 },
      { kind: 'pass' },
      { kind: 'drop' },
      { kind: 'delay', ms: 1500 },
      { kind: 'pass' },
      { kind: 'status', status: 429, code: 'SlowDown' },
      { kind: 'pass' },
    ] as const) {
      proxy.inject(fault, 1, 'PUT');
    }
    const before = proxy.injected;
    await seedSnapshot(t.ds, {
      type: 'host',
      id: 'flaky',
      time: T,
      files: [{ name: 'root.pxar.didx', data: DATA }],
    });
    expect(proxy.injected - before).toBe(5);
    // restore with a cold cache: the GETs meet faults too
    await t.backend.cache.removeChunkFiles([
      ...(await t.ds.openIndex('', { type: 'host', id: 'flaky', time: T }, 'root.pxar.didx')).digests(),
    ]);
    for (const fault of [
      { kind: 'status', status: 503, code: 'SlowDown' },
      { kind: 'drop' },
      { kind: 'pass' },
      { kind: 'delay', ms: 1500 },
      { kind: 'status', status: 504 },
      { kind: 'pass' },
    ] as const) {
      proxy.inject(fault, 1, 'GET');
    }
    const reader = await t.ds.openReader('', { type: 'host', id: 'flaky', time: T });
    try {
      const index = await t.ds.openIndex('', { type: 'host', id: 'flaky', time: T }, 'root.pxar.didx');
      const parts: Buffer[] = [];
      for (const d of index.digests()) parts.push((await reader.loadChunk(d)).decode());
      expect(Buffer.concat(parts)).toEqual(DATA);
    } finally {
      reader.close();
    }
    expect(proxy.injected - before).toBe(9);
  });

  it('gives up after three attempts with BACKEND_UNAVAILABLE naming endpoint, bucket and key', async () => {
    const t = await setup(true);
    proxy.inject({ kind: 'status', status: 503 }, 3, 'PUT');
    const data = Buffer.from('unlucky chunk '.repeat(20));
    const digest = sha256Digest(data);
    const err = await t.ds.chunkStore.insertChunk(digest, DataBlob.encode(data)).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AppError', code: 'BACKEND_UNAVAILABLE' });
    expect(String((err as Error).message)).toMatch(
      new RegExp(
        `S3 endpoint '127\\.0\\.0\\.1:${proxy.port}' bucket '${server.bucket}': PUT '${t.ds.name}/\\.chunks/.*after 3 attempts`,
      ),
    );
    expect(await t.backend.statChunk(digest)).toBeUndefined();
  });

  it('fails a backup when the S3 server stops, leaves no broken snapshot, and works again after a restart', async () => {
    const t = await setup(false);
    await seedSnapshot(t.ds, {
      type: 'vm',
      id: '9',
      time: T,
      files: [{ name: 'root.pxar.didx', data: DATA }],
    });

    // stopped while chunks are uploaded
    const writer = await t.ds.beginBackup({
      ns: '',
      group: { type: 'vm', id: '9' },
      time: T + 60,
      authId: 'root@pam',
    });
    const index = await writer.createDynamicIndex('root.pxar.didx');
    const fresh = Buffer.from(DATA.map((b) => b ^ 0x5a));
    let failure: unknown;
    for (let start = 0, n = 0; start < fresh.length; start += 64 * 1024, n++) {
      if (n === 3) await server.stop();
      const piece = fresh.subarray(start, start + 64 * 1024);
      const digest = sha256Digest(piece);
      try {
        await writer.insertChunk(digest, DataBlob.encode(piece), { size: piece.length });
      } catch (err) {
        failure = err;
        break;
      }
      await index.addChunk(start + piece.length, digest);
    }
    expect(failure).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    expect(String((failure as Error).message)).toContain(`bucket '${server.bucket}'`);
    await writer.abort().catch(() => undefined); // its cleanup needs the bucket too
    expect((await t.ds.listSnapshots('')).filter((s) => s.finished)).toHaveLength(1);

    // stopped right before the manifest is stored: the snapshot must not look finished
    await server.restart();
    const late = await t.ds.beginBackup({
      ns: '',
      group: { type: 'vm', id: '9' },
      time: T + 120,
      authId: 'root@pam',
    });
    const blob = DataBlob.encode(Buffer.from('conf'));
    await late.writeBlob('vm.conf.blob', blob);
    const { encodeManifestBlob } = await import('../manifest-signature.js');
    const { createHash } = await import('node:crypto');
    const manifest = encodeManifestBlob({
      backupType: 'vm',
      backupId: '9',
      backupTime: T + 120,
      files: [
        {
          filename: 'vm.conf.blob',
          cryptMode: 'none',
          size: blob.raw.length,
          csum: createHash('sha256').update(blob.raw).digest('hex'),
        },
      ],
      unprotected: {},
      signature: null,
    });
    await server.stop();
    await expect(late.finish(manifest.raw)).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    await late.abort().catch(() => undefined);
    expect((await t.ds.listSnapshots('')).filter((s) => s.finished)).toHaveLength(1);

    await server.restart();
    await seedSnapshot(t.ds, {
      type: 'vm',
      id: '9',
      time: T + 180,
      files: [{ name: 'root.pxar.didx', data: fresh }],
    });
    expect((await t.ds.listSnapshots('')).filter((s) => s.finished).map((s) => s.time)).toEqual([T, T + 180]);
    expect(await expectFinishedSnapshotsComplete(t)).toBeGreaterThan(0);
  });
});
