import { ManualClock } from '@pbs/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupWriter } from './backup/backup-writer.js';
import { DataBlob } from './data-blob.js';
import { sha256Digest, type Digest } from './digest.js';
import { runGarbageCollection } from './gc/gc-run.js';
import type { GcStatus } from './gc/gc-status.js';
import { encodeManifestBlob } from './manifest-signature.js';
import { silentContext } from './operation-context.js';
import { executePrune } from './prune/prune-execute.js';
import { planPruneNamespace } from './prune/prune-plan.js';
import { makeTestDatastore, type TestDatastore } from './testing/index.js';
import { runVerify } from './verify/verify-run.js';

/*
 * Backups (several at once, sharing chunks) while GC and prune run, round after round, with the
 * clock moved past the GC cutoff between rounds; one backup spans a round boundary (and so a GC
 * that runs with it as the oldest writer). Afterwards every referenced chunk must be there.
 */

const T0 = 1_700_000_000;
const ROUND = 24 * 3600 + 300 + 3600; // one cutoff and an hour
const ROUNDS = 5;
const WRITERS = 4;
const UPID = 'UPID:node:00000001:00000001:00000001:6553F100:garbage_collection:store1:root@pam:';

let t: TestDatastore;
const clock = new ManualClock(T0 * 1000);
let seed = 1;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

interface Uploaded {
  digests: Digest[];
  sizes: number[];
}

async function upload(writer: BackupWriter, pieces: string[]): Promise<Uploaded> {
  const uploaded: Uploaded = { digests: [], sizes: [] };
  for (const text of pieces) {
    const data = Buffer.from(text.repeat(300));
    const digest = sha256Digest(data);
    await writer.insertChunk(digest, DataBlob.encode(data), { size: data.length });
    uploaded.digests.push(digest);
    uploaded.sizes.push(data.length);
  }
  return uploaded;
}

async function finishWith(writer: BackupWriter, uploaded: Uploaded): Promise<void> {
  const index = await writer.createDynamicIndex('root.pxar.didx');
  let end = 0;
  for (const [i, digest] of uploaded.digests.entries()) {
    end += uploaded.sizes[i] as number;
    await index.addChunk(end, digest);
  }
  const csum = (await index.close()).toString('hex');
  const { type, id, time } = writer.snapshot;
  const file = { filename: 'root.pxar.didx', cryptMode: 'none' as const, size: end, csum };
  const manifest = encodeManifestBlob({
    backupType: type,
    backupId: id,
    backupTime: time,
    files: [file],
    unprotected: {},
    signature: null,
  });
  await writer.finish(manifest.raw);
}

function piecesFor(group: string, round: number): string[] {
  const shared = Array.from({ length: 8 }, () => `shared ${Math.floor(random() * 30)}`);
  return [...shared, `unique ${group} ${round}`];
}

async function backup(id: string, round: number, time: number): Promise<void> {
  const writer = await t.ds.beginBackup({ ns: '', group: { type: 'host', id }, time, authId: 'root@pam' });
  try {
    await finishWith(writer, await upload(writer, piecesFor(id, round)));
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

beforeAll(async () => {
  t = await makeTestDatastore({ clock });
});
afterAll(() => t.cleanup());

describe('backups, GC and prune at the same time', () => {
  it('never lose a chunk a finished or running backup references', async () => {
    const statuses: GcStatus[] = [];
    const logs: string[] = [];
    const ctx = { ...silentContext(), upid: UPID, log: (m: string) => logs.push(m) };
    // each round starts a backup that finishes only after the next round's GC has run
    let spanning: { writer: BackupWriter; pieces: Uploaded } | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      const now = T0 + 1 + round * ROUND;
      clock.set(now * 1000);
      const writer = await t.ds.beginBackup({
        ns: '',
        group: { type: 'vm', id: `long${round % 2}` },
        time: now,
        authId: 'root@pam',
      });
      const started = { writer, pieces: await upload(writer, piecesFor('long', round)) };
      const work = [
        ...Array.from({ length: WRITERS }, (_, w) => backup(`g${w}`, round, now)),
        runGarbageCollection(t.ds, ctx).then((s) => statuses.push(s)),
        planPruneNamespace(t.ds, '', { keepLast: 2 }).then((plan) => executePrune(t.ds, plan, ctx)),
        ...Array.from({ length: WRITERS }, (_, w) => backup(`h${w}`, round, now)),
      ];
      const results = await Promise.allSettled(work);
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      if (spanning) await finishWith(spanning.writer, spanning.pieces); // it began a cutoff ago
      spanning = started;
    }
    clock.set((T0 + 1 + ROUNDS * ROUND) * 1000);
    statuses.push(await runGarbageCollection(t.ds, ctx));
    if (spanning) await finishWith(spanning.writer, spanning.pieces);
    expect(logs.filter((l) => l.startsWith('Oldest backup writer started at')).length).toBe(ROUNDS);

    const removed = statuses.reduce((n, s) => n + s.removedChunks, 0);
    expect(removed).toBeGreaterThan(0); // GC did remove the chunks of pruned snapshots
    const result = await runVerify(
      t.ds,
      { ...ctx, upid: UPID.replace('garbage_collection', 'verify') },
      { ns: '' },
    );
    expect(result.failedSnapshots).toEqual([]);
    const snapshots = await t.ds.listSnapshots('');
    expect(snapshots.every((s) => s.finished && s.verification?.state === 'ok')).toBe(true);
    expect(result.verifiedSnapshots).toBe(snapshots.length);
    expect(snapshots.length).toBeGreaterThanOrEqual(2 * WRITERS * 2 + 2); // prune kept 2 per group (at least)
  });
});
