import { randomBytes } from 'node:crypto';
import type { S3CounterSnapshot } from '@pbs/storage';
import { startS3Server } from '@pbs/storage/testing';
import { DataBlob } from '../data-blob.js';
import { sha256Digest, type Digest } from '../digest.js';
import { FIXED_INDEX_CHUNK_SIZE } from '../file-formats.js';
import { mapLimit } from '../map-limit.js';
import { encodeManifestBlob } from '../manifest-signature.js';
import { makeS3TestDatastore } from './s3-datastore.js';

/*
 * Ingest and restore throughput of a datastore on S3 (s3rver on loopback, in its own process),
 * through the engine as the backup protocol drives it: 4 MiB chunks of random data encoded as
 * DataBlobs and inserted four at a time into a fixed index, then a restore with a cold chunk
 * cache (every chunk fetched from the bucket and decoded). MB = 10^6 bytes. For `npm run bench`.
 */

export interface S3ThroughputOptions {
  /** data size in MiB (default 128) */
  readonly sizeMiB?: number;
  /** chunk inserts in flight (default 4, like a client's upload window) */
  readonly concurrency?: number;
}

export interface S3ThroughputResult {
  readonly bytes: number;
  readonly ingestMBs: number;
  readonly restoreMBs: number;
  /** requests and traffic the datastore's S3 client sent for both */
  readonly requests: S3CounterSnapshot;
}

export async function measureS3Throughput(opts: S3ThroughputOptions = {}): Promise<S3ThroughputResult> {
  const server = await startS3Server();
  const t = await makeS3TestDatastore({ config: server.config(), bucket: server.bucket, name: 'bench' });
  try {
    const count = Math.max(1, Math.round(((opts.sizeMiB ?? 128) * 1024 * 1024) / FIXED_INDEX_CHUNK_SIZE));
    const bytes = count * FIXED_INDEX_CHUNK_SIZE;
    const time = 1_700_000_000;
    const started = performance.now();
    const writer = await t.ds.beginBackup({
      ns: '',
      group: { type: 'vm', id: 'bench' },
      time,
      authId: 'root@pam',
    });
    const index = await writer.createFixedIndex('drive-scsi0.img.fidx', bytes);
    await mapLimit(
      Array.from({ length: count }, (_, i) => i),
      opts.concurrency ?? 4,
      async (i) => {
        const data = randomBytes(FIXED_INDEX_CHUNK_SIZE);
        const digest = sha256Digest(data);
        await writer.insertChunk(digest, DataBlob.encode(data), { size: data.length });
        index.addChunk(i * FIXED_INDEX_CHUNK_SIZE, data.length, digest);
      },
    );
    const csum = (await index.close()).toString('hex');
    const manifest = encodeManifestBlob({
      backupType: 'vm',
      backupId: 'bench',
      backupTime: time,
      files: [{ filename: 'drive-scsi0.img.fidx', cryptMode: 'none', size: bytes, csum }],
      unprotected: {},
      signature: null,
    });
    await writer.finish(manifest.raw);
    const ingestSec = (performance.now() - started) / 1000;

    const snap = { type: 'vm' as const, id: 'bench', time };
    const digests = [...(await t.ds.openIndex('', snap, 'drive-scsi0.img.fidx')).digests()];
    await t.backend.cache.removeChunkFiles(digests);
    const restoreStart = performance.now();
    const reader = await t.ds.openReader('', snap);
    try {
      await mapLimit(digests, opts.concurrency ?? 4, async (d: Digest) => {
        (await reader.loadChunk(d)).decode();
      });
    } finally {
      reader.close();
    }
    const restoreSec = (performance.now() - restoreStart) / 1000;
    return {
      bytes,
      ingestMBs: bytes / 1e6 / ingestSec,
      restoreMBs: bytes / 1e6 / restoreSec,
      requests: t.client.counters.snapshot(),
    };
  } finally {
    await t.cleanup();
    await server.close();
  }
}
