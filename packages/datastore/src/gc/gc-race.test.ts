import type { StorageBackend } from '@pbs/storage';
import { ManualClock } from '@pbs/storage/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Datastore } from '../datastore.js';
import { encodeManifestBlob } from '../manifest-signature.js';
import { makeTestDatastore, seedSnapshot, type TestDatastore } from '../testing/index.js';
import { runVerify } from '../verify/verify-run.js';
import { runGarbageCollection } from './gc-run.js';

/*
 * The race PBS's phase-1 retry exists for: while GC lists a group, a new backup finishes that
 * reuses the chunks of its base (registered, not uploaded: their atimes stay old), and prune
 * removes that base. GC then finds the newest index it listed gone and must list the group
 * again, or it would sweep the reused chunks.
 */

const T0 = 1_700_000_000;
const LATER = T0 + 24 * 3600 + 300 + 3600;
const vm100 = { type: 'vm', id: '100' } as const;
const UPID = 'UPID:node:00000001:00000001:00000001:6553F100:garbage_collection:store1:root@pam:';
let clock: ManualClock;
let t: TestDatastore;

beforeEach(async () => {
  clock = new ManualClock(T0 * 1000);
  t = await makeTestDatastore({ clock });
});
afterEach(() => t.cleanup());

async function backupReusingBase(time: number): Promise<void> {
  const writer = await t.ds.beginBackup({ ns: '', group: vm100, time, authId: 'root@pam' });
  const base = await writer.openPreviousIndex('root.pxar.didx');
  const index = await writer.createDynamicIndex('root.pxar.didx');
  for (let pos = 0; pos < base.count; pos++) {
    const info = base.chunkInfo(pos);
    if (info) await index.addChunk(info.end, info.digest);
  }
  const csum = (await index.close()).toString('hex');
  const file = { filename: 'root.pxar.didx', cryptMode: 'none' as const, size: base.indexBytes, csum };
  await writer.finish(
    encodeManifestBlob({
      backupType: 'vm',
      backupId: '100',
      backupTime: time,
      files: [file],
      unprotected: {},
      signature: null,
    }).raw,
  );
}

describe('GC phase 1 and a concurrent backup + prune', () => {
  it('re-lists a group whose newest index vanished, so chunks reused by a new snapshot survive', async () => {
    await seedSnapshot(t.ds, {
      type: 'vm',
      id: '100',
      time: T0 - 10,
      files: [{ name: 'root.pxar.didx', data: Buffer.from('old') }],
    });
    await seedSnapshot(t.ds, {
      type: 'vm',
      id: '100',
      time: T0,
      files: [{ name: 'root.pxar.didx', data: Buffer.alloc(100_000, 4) }],
    });
    clock.set(LATER * 1000);
    const baseIndex = 'vm/100/2023-11-14T22:13:20Z/root.pxar.didx';
    let raced = false;
    const racing = Object.create(t.backend) as StorageBackend;
    racing.readFile = async (path) => {
      if (path === baseIndex && !raced) {
        raced = true;
        await backupReusingBase(LATER);
        await t.ds.removeSnapshot('', { ...vm100, time: T0 });
      }
      return t.backend.readFile(path);
    };
    const ds = await Datastore.open({ name: 'store1', backend: racing, lockDir: t.lockDir, clock });
    const status = await runGarbageCollection(ds, {
      signal: new AbortController().signal,
      upid: UPID,
      log: () => undefined,
      warn: () => undefined,
      progress: () => undefined,
    });
    expect(raced).toBe(true);
    expect(status.removedChunks).toBe(0); // the old snapshot's chunk is still referenced by it
    const verify = await runVerify(
      t.ds,
      {
        signal: new AbortController().signal,
        upid: UPID,
        log: () => undefined,
        warn: () => undefined,
        progress: () => undefined,
      },
      { ns: '' },
    );
    expect(verify).toEqual({ failedSnapshots: [], verifiedSnapshots: 2, skipped: 0 });
  });
});
