import { ManualClock } from '@pbs/storage/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDatastore, seedSnapshot, type TestDatastore } from './testing/index.js';

const T0 = 1_700_000_000;
let t: TestDatastore;

beforeEach(async () => {
  t = await makeTestDatastore({ clock: new ManualClock(T0 * 1000) });
});
afterEach(() => t.cleanup());

describe('manifest cache in listings', () => {
  it('serves repeated listings from the cache and sees manifest updates at once', async () => {
    await seedSnapshot(t.ds, { type: 'vm', id: '1', time: T0 });
    const snap = { type: 'vm', id: '1', time: T0 } as const;
    const first = await t.ds.listSnapshots('', { type: 'vm', id: '1' });
    expect(first[0]?.comment).toBeUndefined();
    const reads: string[] = [];
    const readFile = t.ds.backend.readFile.bind(t.ds.backend);
    t.ds.backend.readFile = (path: string) => {
      reads.push(path);
      return readFile(path);
    };
    await t.ds.listSnapshots('', { type: 'vm', id: '1' });
    expect(reads.filter((p) => p.endsWith('index.json.blob'))).toEqual([]);
    await t.ds.setSnapshotNotes('', snap, 'first line\nmore');
    const updated = await t.ds.listSnapshots('', { type: 'vm', id: '1' });
    expect(updated[0]?.comment).toBe('first line');
  });
});
