import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerify, silentContext } from '@pbs/datastore';
import { makeS3TestDatastore, makeTestDatastore, seedSnapshot } from '@pbs/datastore/testing';
import { startS3Server, type S3TestServer } from '@pbs/storage/testing';
import { TAPE_BLOCK_SIZE } from '../format/constants.js';
import { makeTapeFixture } from '../testing/fixture.js';
import { runTapeBackup } from './backup.js';
import { labelMedia } from './media-ops.js';
import { runTapeRestore } from './restore.js';

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server?.close();
});

describe('tape restore into an S3 datastore', () => {
  it('restores a media set into a datastore on S3 (s3rver) and verify passes from the bucket', async () => {
    const src = await makeTestDatastore({ name: 'store1' });
    const dst = await makeS3TestDatastore({
      config: server.config(),
      bucket: server.bucket,
      name: 's3dst',
      sparse: true,
    });
    const f = await makeTapeFixture({ labels: [], slots: 4, maxSize: 16 * TAPE_BLOCK_SIZE });
    try {
      await seedSnapshot(src.ds, {
        type: 'host',
        id: 'h1',
        time: 1_700_000_000,
        files: [
          { name: 'root.pxar.didx', data: Buffer.alloc(500_000, 3) },
          { name: 'a.conf.blob', data: Buffer.from('config') },
        ],
      });
      await labelMedia(f.ctx, f, { labelText: 'S3TAPE1', pool: 'p' });
      const backup = await runTapeBackup(f.ctx, {
        store: src.ds,
        device: f.device,
        inventory: f.inventory,
        stateDir: f.stateDir,
        pool: { name: 'p' },
      });
      await expect(
        runTapeBackup(f.ctx, {
          store: dst.ds,
          device: f.device,
          inventory: f.inventory,
          stateDir: f.stateDir,
          pool: { name: 'p' },
        }),
      ).rejects.toMatchObject({ code: 'NOT_IMPLEMENTED' });
      const res = await runTapeRestore(f.ctx, {
        device: f.device,
        inventory: f.inventory,
        stateDir: f.stateDir,
        mediaSet: backup.mediaSet,
        targets: () => dst.ds,
        owner: 'root@pam',
      });
      expect(res.restored).toEqual(['s3dst:host/h1/2023-11-14T22:13:20Z']);
      const verify = await runVerify(dst.ds, { ...silentContext(), upid: 'UPID:t' }, { ns: '' });
      expect(verify).toMatchObject({ failedSnapshots: [], verifiedSnapshots: 1 });
    } finally {
      await f.cleanup();
      await dst.cleanup();
      await src.cleanup();
    }
  });
});
