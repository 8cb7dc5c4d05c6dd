/*
 * Tape throughput for `npm run bench`: a snapshot of random data (a fixed index of 4 MiB chunks)
 * in a throwaway datastore, read once through the chunk store (the datastore read speed of the
 * same run), written by a tape backup to a virtual library whose tapes hold about half of it
 * (so the set spans tapes), and restored into a second datastore. MB = 10^6 bytes.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { makeTestDatastore, seedSnapshot } from '@pbs/datastore/testing';
import { labelMedia } from '../ops/media-ops.js';
import { runTapeBackup } from '../ops/backup.js';
import { runTapeRestore } from '../ops/restore.js';
import { makeTapeFixture } from './fixture.js';

export interface TapeThroughput {
  bytes: number;
  datastoreReadMBs: number;
  backupMBs: number;
  restoreMBs: number;
  tapes: number;
}

const MB = 1e6;

export async function measureTapeThroughput(opts: { sizeMiB: number }): Promise<TapeThroughput> {
  const bytes = opts.sizeMiB * 2 ** 20;
  const src = await makeTestDatastore({ name: 'benchsrc' });
  const dst = await makeTestDatastore({ name: 'benchdst' });
  const tapeCount = 3;
  const library = await makeTapeFixture({
    labels: [],
    slots: tapeCount + 1,
    maxSize: Math.ceil(bytes / 2 / 262144 + 8) * 262144,
  });
  try {
    const snap = { type: 'vm' as const, id: 'bench', time: 1_700_000_000 };
    await seedSnapshot(src.ds, {
      ...snap,
      files: [{ name: 'drive-scsi0.img.fidx', data: randomBytes(bytes) }],
    });
    let started = performance.now();
    const index = await src.ds.openIndex('', snap, 'drive-scsi0.img.fidx');
    for (const digest of index.digests()) (await src.ds.chunkStore.loadChunk(digest)).decode();
    const readSec = (performance.now() - started) / 1000;

    for (let i = 1; i <= tapeCount; i++) {
      await labelMedia(library.ctx, library, { labelText: `BENCH${i}`, pool: 'bench' });
    }
    started = performance.now();
    const backup = await runTapeBackup(library.ctx, {
      store: src.ds,
      device: library.device,
      inventory: library.inventory,
      stateDir: library.stateDir,
      pool: { name: 'bench' },
    });
    const backupSec = (performance.now() - started) / 1000;

    started = performance.now();
    await runTapeRestore(library.ctx, {
      device: library.device,
      inventory: library.inventory,
      stateDir: library.stateDir,
      mediaSet: backup.mediaSet,
      targets: () => dst.ds,
      owner: 'root@pam',
    });
    const restoreSec = (performance.now() - started) / 1000;
    return {
      bytes,
      datastoreReadMBs: bytes / MB / readSec,
      backupMBs: bytes / MB / backupSec,
      restoreMBs: bytes / MB / restoreSec,
      tapes: backup.media.length,
    };
  } finally {
    await library.cleanup();
    await src.cleanup();
    await dst.cleanup();
  }
}
