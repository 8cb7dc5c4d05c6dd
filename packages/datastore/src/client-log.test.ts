import { ManualClock } from '@pbs/storage/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataBlob } from './data-blob.js';
import { makeTestDatastore, seedSnapshot, type TestDatastore } from './testing/index.js';

const T0 = 1_700_000_000;
let t: TestDatastore;

beforeEach(async () => {
  t = await makeTestDatastore({ clock: new ManualClock(T0 * 1000) });
});
afterEach(() => t.cleanup());

describe('client log upload', () => {
  it('stores the log once, beside the snapshot, outside the manifest', async () => {
    await seedSnapshot(t.ds, { type: 'host', id: 'a', time: T0 });
    const snap = { type: 'host', id: 'a', time: T0 } as const;
    const log = DataBlob.encode(Buffer.from('client log line\n')).raw;
    await t.ds.uploadClientLog('', snap, log);
    const info = await t.ds.snapshotInfo('', snap);
    expect(info.files.find((f) => f.filename === 'client.log.blob')?.size).toBeNull();
    await expect(t.ds.uploadClientLog('', snap, log)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
  });

  it('refuses unfinished snapshots and corrupt blobs', async () => {
    await seedSnapshot(t.ds, { type: 'host', id: 'a', time: T0 });
    const log = DataBlob.encode(Buffer.from('x')).raw;
    await expect(
      t.ds.uploadClientLog('', { type: 'host', id: 'a', time: T0 + 1 }, log),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const corrupt = Buffer.from(log);
    corrupt.writeUInt8((corrupt.at(-1) ?? 0) ^ 0xff, corrupt.length - 1);
    await expect(
      t.ds.uploadClientLog('', { type: 'host', id: 'a', time: T0 }, corrupt),
    ).rejects.toMatchObject({ code: 'CORRUPT_DATA' });
  });
});
