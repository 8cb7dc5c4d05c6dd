import { ManualClock } from '@pbs/storage/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Digest } from './digest.js';
import { MANIFEST_BLOB_NAME } from './manifest.js';
import { makeTestDatastore, seedSnapshot, type TestDatastore } from './testing/index.js';

const T0 = 1_700_000_000;
let t: TestDatastore;

beforeEach(async () => {
  t = await makeTestDatastore({ clock: new ManualClock(T0 * 1000) });
});
afterEach(() => t.cleanup());

const content = Buffer.from('reader protocol content\n');
const seed = (time = T0) =>
  seedSnapshot(t.ds, { type: 'host', id: 'box', time, files: [{ name: 'root.pxar.didx', data: content }] });

describe('snapshot reader', () => {
  it('serves the raw manifest, archives and chunks of a finished snapshot', async () => {
    await seed();
    const reader = await t.ds.openReader('', { type: 'host', id: 'box', time: T0 });
    const manifest = await reader.readFile(MANIFEST_BLOB_NAME);
    expect(manifest.equals((await t.ds.loadManifest('', reader.snapshot)).raw)).toBe(true);
    const index = await t.ds.openIndex('', reader.snapshot, 'root.pxar.didx');
    expect(index.count).toBe(1);
    const digest = sha256Digest(content);
    expect(index.digestAt(0)).toBe(digest);
    const blob = await reader.loadChunk(digest);
    expect(blob.decode({ digest }).equals(content)).toBe(true);
    reader.close();
    await expect(reader.readFile(MANIFEST_BLOB_NAME)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses names outside the snapshot and missing snapshots', async () => {
    await seed();
    const reader = await t.ds.openReader('', { type: 'host', id: 'box', time: T0 });
    await expect(reader.readFile('../owner')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(reader.readFile('missing.blob')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    reader.close();
    await expect(t.ds.openReader('', { type: 'host', id: 'box', time: T0 + 1 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('holds the snapshot shared: forget waits for the reader to close', async () => {
    await seed();
    const snap = { type: 'host', id: 'box', time: T0 } as const;
    const reader = await t.ds.openReader('', snap);
    await expect(t.ds.removeSnapshot('', snap)).rejects.toMatchObject({ code: 'BUSY' });
    reader.close();
    await t.ds.removeSnapshot('', snap);
  });
});

describe('backup writer: previous files', () => {
  it('returns raw files of the base snapshot and makes its chunks referable', async () => {
    await seed();
    const writer = await t.ds.beginBackup({
      ns: '',
      group: { type: 'host', id: 'box' },
      time: T0 + 60,
      authId: 'root@pam',
    });
    const digest = sha256Digest(content);
    expect(writer.isKnownChunk(digest)).toBe(false);
    const raw = await writer.readPreviousFile('root.pxar.didx');
    expect(raw.length).toBe(4096 + 40);
    expect(writer.isKnownChunk(digest)).toBe(true);
    expect(writer.knownChunkSize(digest)).toBe(content.length);
    const manifest = await writer.readPreviousFile(MANIFEST_BLOB_NAME);
    expect(manifest.length).toBeGreaterThan(12);
    await expect(writer.readPreviousFile('nope.fidx')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await writer.abort();
  });

  it('has nothing to offer for a first backup', async () => {
    const writer = await t.ds.beginBackup({
      ns: '',
      group: { type: 'host', id: 'new' },
      time: T0,
      authId: 'root@pam',
    });
    await expect(writer.readPreviousFile(MANIFEST_BLOB_NAME)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await writer.abort();
  });
});
