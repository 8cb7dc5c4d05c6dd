import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from '@pbs/storage/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CryptConfig } from '../crypt-config.js';
import { DataBlob } from '../data-blob.js';
import { sha256Digest } from '../digest.js';
import { encodeManifestBlob } from '../manifest-signature.js';
import type { ManifestFile } from '../manifest.js';
import { makeTestDatastore, seedSnapshot, type TestDatastore } from '../testing/index.js';
import type { BackupWriter } from './backup-writer.js';

const T0 = 1_700_000_000;
const vm100 = { type: 'vm', id: '100' } as const;
let t: TestDatastore;

beforeEach(async () => {
  t = await makeTestDatastore({ clock: new ManualClock(T0 * 1000) });
});
afterEach(() => t.cleanup());

const begin = (
  time = T0,
  authId = 'alice@pbs',
  group: { type: 'vm' | 'ct' | 'host'; id: string } = vm100,
  ns = '',
) => t.ds.beginBackup({ ns, group, time, authId });

function manifest(time: number, files: ManifestFile[]): Buffer {
  return encodeManifestBlob({
    backupType: 'vm',
    backupId: '100',
    backupTime: time,
    files,
    unprotected: {},
    signature: null,
  }).raw;
}

async function dynamicArchive(writer: BackupWriter, name: string, pieces: string[]): Promise<ManifestFile> {
  const index = await writer.createDynamicIndex(name);
  let end = 0;
  for (const text of pieces) {
    const data = Buffer.from(text);
    const digest = sha256Digest(data);
    await writer.insertChunk(digest, DataBlob.encode(data), { size: data.length });
    end += data.length;
    await index.addChunk(end, digest);
  }
  return { filename: name, cryptMode: 'none', size: end, csum: (await index.close()).toString('hex') };
}

describe('beginBackup', () => {
  it('needs an existing namespace', async () => {
    await expect(begin(T0, 'alice@pbs', vm100, 'missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('creates the group with its owner; only the owner or its user may add snapshots', async () => {
    await seedSnapshot(t.ds, { type: 'vm', id: '100', time: T0, authId: 'alice@pbs!tok' });
    await expect(begin(T0 + 1, 'bob@pbs')).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: 'backup owner check failed (bob@pbs != alice@pbs!tok)',
    });
    await expect(begin(T0 + 1, 'alice@pbs!other')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    const w = await begin(T0 + 1, 'alice@pbs'); // the user of the owning token
    await w.abort();
  });

  it('allows one backup per group at a time (BUSY)', async () => {
    const w = await begin(T0);
    await expect(begin(T0 + 5)).rejects.toMatchObject({
      code: 'BUSY',
      message: "group 'vm/100' is locked by another operation",
    });
    await w.abort();
  });

  it('requires a time newer than the last finished snapshot', async () => {
    await seedSnapshot(t.ds, { type: 'vm', id: '100', time: T0, authId: 'alice@pbs' });
    await expect(begin(T0)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(begin(T0 - 1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(fs.readdirSync(path.join(t.base, 'vm/100')).sort()).toEqual(['2023-11-14T22:13:20Z', 'owner']);
  });

  it('does not use a snapshot whose verification failed as the base', async () => {
    await seedSnapshot(t.ds, { type: 'vm', id: '100', time: T0, authId: 'alice@pbs' });
    await seedSnapshot(t.ds, { type: 'vm', id: '100', time: T0 + 1, authId: 'alice@pbs' });
    await t.ds.updateManifest(
      '',
      { ...vm100, time: T0 + 1 },
      (u) => (u.verify_state = { state: 'failed', upid: 'x' }),
    );
    const w = await begin(T0 + 2);
    expect(w.previous).toBeUndefined();
    await expect(w.openPreviousIndex('root.pxar.didx')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await w.abort();
  });

  it('removes a new group again when the backup cannot start', async () => {
    const held = await t.ds.locks.lockSnapshot([], { type: 'ct', id: '2', time: T0 });
    await expect(begin(T0, 'alice@pbs', { type: 'ct', id: '2' })).rejects.toMatchObject({ code: 'BUSY' });
    held.release();
    expect(fs.existsSync(path.join(t.base, 'ct'))).toBe(true);
    expect(fs.readdirSync(path.join(t.base, 'ct'))).toEqual([]);
  });

  it('adopts a group that a crash left without owner file and without snapshots', async () => {
    fs.mkdirSync(path.join(t.base, 'vm/5'), { recursive: true });
    const w = await begin(T0, 'bob@pbs', { type: 'vm', id: '5' });
    expect(fs.readFileSync(path.join(t.base, 'vm/5/owner'), 'utf8')).toBe('bob@pbs\n');
    await w.abort();
    fs.mkdirSync(path.join(t.base, 'vm/6/2023-11-14T22:13:20Z'), { recursive: true });
    await expect(begin(T0 + 1, 'bob@pbs', { type: 'vm', id: '6' })).rejects.toMatchObject({
      code: 'CORRUPT_DATA',
    });
  });

  it('refuses a time whose snapshot directory exists (a crashed backup)', async () => {
    await seedSnapshot(t.ds, { type: 'vm', id: '100', time: T0, authId: 'alice@pbs' });
    fs.mkdirSync(path.join(t.base, 'vm/100/2023-11-14T22:13:30Z'));
    await expect(begin(T0 + 10)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    const w = await begin(T0 + 11);
    await w.abort();
  });
});

describe('uploads', () => {
  it('checks unencrypted chunks against digest and size and rewrites their CRC', async () => {
    const w = await begin();
    const data = Buffer.from('chunk data');
    const blob = DataBlob.encode(data);
    blob.raw.writeUInt32LE(0xdeadbeef, 8); // a client CRC is not trusted
    expect(await w.insertChunk(sha256Digest(data), blob.raw, { size: data.length })).toEqual({
      duplicate: false,
    });
    expect((await t.ds.chunkStore.loadChunk(sha256Digest(data))).decode()).toEqual(data);
    expect(await w.insertChunk(sha256Digest(data), DataBlob.encode(data))).toEqual({ duplicate: true });
    const bad = { code: 'INVALID_ARGUMENT' };
    await expect(
      w.insertChunk(sha256Digest(Buffer.from('other')), DataBlob.encode(data)),
    ).rejects.toMatchObject(bad);
    await expect(w.insertChunk(sha256Digest(data), DataBlob.encode(data), { size: 3 })).rejects.toMatchObject(
      bad,
    );
    await expect(w.insertChunk(sha256Digest(data), Buffer.from('garbage'))).rejects.toMatchObject(bad);
    await expect(w.insertChunk('ABC' as never, DataBlob.encode(data))).rejects.toMatchObject(bad);
    expect(w.isKnownChunk(sha256Digest(data))).toBe(true);
    await w.abort();
  });

  it('stores encrypted chunks unchecked (the server has no key)', async () => {
    const crypt = CryptConfig.fromKey(Buffer.alloc(32, 9));
    const w = await begin();
    const data = Buffer.from('secret');
    expect(await w.insertChunk(crypt.computeDigest(data), DataBlob.encode(data, { crypt }))).toEqual({
      duplicate: false,
    });
    await w.abort();
  });

  it('verifies blob CRCs and refuses names outside the grammar or the manifest name', async () => {
    const w = await begin();
    const blob = DataBlob.encode(Buffer.from('conf'));
    await w.writeBlob('qemu-server.conf.blob', blob);
    const broken = Buffer.from(blob.raw);
    broken.writeUInt8(broken.readUInt8(broken.length - 1) ^ 1, broken.length - 1);
    await expect(w.writeBlob('x.conf.blob', broken)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(w.writeBlob('index.json.blob', blob)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(w.writeBlob('../x.blob', blob)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(w.createFixedIndex('x.didx', 10)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await w.abort();
  });
});

describe('finish', () => {
  it('writes the manifest last, with chunk_upload_stats, and releases the group', async () => {
    const w = await begin();
    const file = await dynamicArchive(w, 'root.pxar.didx', ['a', 'bb', 'a']);
    expect(t.ds.activeWriters()).toBe(1);
    const info = await w.finish(manifest(T0, [file]));
    expect(info).toMatchObject({ finished: true, owner: 'alice@pbs' });
    expect(info.size).toBeGreaterThan(0);
    expect(t.ds.activeWriters()).toBe(0);
    const { manifest: m } = await t.ds.loadManifest('', { ...vm100, time: T0 });
    expect(m.unprotected.chunk_upload_stats).toMatchObject({ count: 3, size: 4, duplicates: 1 });
    expect(Object.keys(m.unprotected.chunk_upload_stats ?? {}).sort()).toEqual([
      'compressed_size',
      'count',
      'duplicates',
      'size',
    ]);
    const next = await begin(T0 + 1);
    expect(next.previous).toEqual({ ...vm100, time: T0 });
    await next.abort();
    await expect(w.abort()).resolves.toBeUndefined(); // nothing happens after finish
    expect(await t.ds.listSnapshots('', vm100)).toHaveLength(1);
  });

  it('refuses manifests that do not match the uploaded files, and can then abort', async () => {
    const w = await begin();
    const file = await dynamicArchive(w, 'root.pxar.didx', ['x']);
    const blob = DataBlob.encode(Buffer.from('conf'));
    await w.writeBlob('a.conf.blob', blob);
    const blobFile: ManifestFile = {
      filename: 'a.conf.blob',
      cryptMode: 'none',
      size: blob.raw.length,
      csum: createHash('sha256').update(blob.raw).digest('hex'),
    };
    const bad = { code: 'INVALID_ARGUMENT' };
    await expect(w.finish(manifest(T0, [{ ...file, size: 99 }]))).rejects.toMatchObject(bad);
    await expect(w.finish(manifest(T0, [{ ...file, csum: '0'.repeat(64) }]))).rejects.toMatchObject(bad);
    await expect(w.finish(manifest(T0, [{ ...blobFile, size: 1 }]))).rejects.toMatchObject(bad);
    await expect(w.finish(manifest(T0, [{ ...file, filename: 'missing.didx' }]))).rejects.toMatchObject(bad);
    await expect(w.finish(manifest(T0 + 5, [file]))).rejects.toMatchObject(bad);
    await expect(w.finish(Buffer.from('not a blob'))).rejects.toMatchObject(bad);
    expect(fs.existsSync(path.join(t.base, 'vm/100/2023-11-14T22:13:20Z/index.json.blob'))).toBe(false);
    await w.abort();
    expect(fs.existsSync(path.join(t.base, 'vm/100'))).toBe(false);
    expect(t.ds.activeWriters()).toBe(0);
  });

  it('refuses indexes that reference chunks this session neither uploaded nor registered', async () => {
    await seedSnapshot(t.ds, {
      type: 'vm',
      id: '100',
      time: T0,
      authId: 'alice@pbs',
      files: [{ name: 'root.pxar.didx', data: Buffer.from('base') }],
    });
    const w = await begin(T0 + 1);
    const reuse = async (name: string) => {
      const index = await w.createDynamicIndex(name);
      await index.addChunk(4, sha256Digest(Buffer.from('base')));
      return {
        filename: name,
        cryptMode: 'none' as const,
        size: 4,
        csum: (await index.close()).toString('hex'),
      };
    };
    const unknown = await reuse('a.pxar.didx');
    await expect(w.finish(manifest(T0 + 1, [unknown]))).rejects.toThrow(/neither uploaded nor registered/);
    const previous = await w.openPreviousIndex('root.pxar.didx'); // GET /previous registers its chunks
    expect(previous.count).toBe(1);
    await expect(w.finish(manifest(T0 + 1, [unknown]))).resolves.toMatchObject({ finished: true });
  });

  it('refuses to finish with an index writer still open', async () => {
    const w = await begin();
    await w.createFixedIndex('disk.img.fidx', 10);
    await expect(w.finish(manifest(T0, []))).rejects.toThrow(/open index writer/);
    await w.abort();
    expect(fs.existsSync(path.join(t.base, 'vm/100'))).toBe(false);
  });
});

describe('sync additions', () => {
  it('copies an index byte for byte over existing chunks and keeps the source manifest bytes', async () => {
    const first = await begin(T0);
    const file = await dynamicArchive(first, 'root.pxar.didx', ['aa', 'bb']);
    await first.finish(manifest(T0, [file]));
    const sourceIndex = fs.readFileSync(path.join(t.base, 'vm/100', snapDir(T0), 'root.pxar.didx'));
    const sourceManifest = manifest(T0 + 10, [file]);

    const w = await begin(T0 + 10);
    // nothing known yet: the copy is refused
    await expect(w.writeIndex('root.pxar.didx', sourceIndex)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    for (const text of ['aa', 'bb'])
      expect(await w.useExistingChunk(sha256Digest(Buffer.from(text)), 2)).toBe(true);
    expect(await w.useExistingChunk(sha256Digest(Buffer.from('missing')), 7)).toBe(false);
    await w.writeIndex('root.pxar.didx', sourceIndex);
    await w.finish(sourceManifest, { keepManifest: true });
    const dir = path.join(t.base, 'vm/100', snapDir(T0 + 10));
    expect(fs.readFileSync(path.join(dir, 'root.pxar.didx')).equals(sourceIndex)).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'index.json.blob')).equals(sourceManifest)).toBe(true);
  });

  it('allowOlder lets a sync put back a snapshot older than the last one', async () => {
    await seedSnapshot(t.ds, { type: 'vm', id: '100', time: T0 + 100, authId: 'alice@pbs' });
    await expect(begin(T0)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const w = await t.ds.beginBackup({
      ns: '',
      group: vm100,
      time: T0,
      authId: 'alice@pbs',
      allowOlder: true,
    });
    const file = await dynamicArchive(w, 'root.pxar.didx', ['old']);
    await w.finish(manifest(T0, [file]));
    expect((await t.ds.listSnapshots('', vm100)).map((s) => s.time)).toEqual([T0, T0 + 100]);
  });
});

function snapDir(time: number): string {
  return new Date(time * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
