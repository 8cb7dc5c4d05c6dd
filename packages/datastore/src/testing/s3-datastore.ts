import fsp from 'node:fs/promises';
import path from 'node:path';
import type { S3Client } from '@pbs/storage';
import { CHUNK_DIR, LOCK_FILE, S3Backend, type S3EndpointOptions } from '@pbs/storage';
import type { DatastoreTuning } from '../datastore-core.js';
import { Datastore } from '../datastore.js';
import { createS3Datastore } from '../s3/s3-datastore.js';
import { makeScratchDir } from './scratch-dir.js';

/*
 * A datastore on S3 for tests: an S3Client for the given endpoint config (fast retries), an
 * S3Backend whose cache lives on tmpfs, created through createS3Datastore like the server does.
 */

export interface TestS3Datastore {
  readonly ds: Datastore;
  readonly backend: S3Backend;
  readonly client: S3Client;
  readonly cacheBase: string;
  readonly lockDir: string;
  /** a second S3Backend + client over the same cache and bucket (a restarted server) */
  makeBackend(config?: S3EndpointOptions): S3Backend;
  cleanup(): Promise<void>;
}

export interface TestS3DatastoreOptions {
  readonly config: S3EndpointOptions;
  readonly bucket: string;
  readonly name: string;
  readonly clock?: { now(): number };
  readonly tuning?: Partial<DatastoreTuning>;
  readonly cacheCapacity?: number;
  readonly hostname?: string;
  readonly reuse?: boolean;
  readonly overwriteInUse?: boolean;
  /** per-request socket inactivity timeout */
  readonly idleTimeoutMs?: number;
  /**
   * Skip createS3Datastore: a cache with `.chunks` and `.lock` only (prefix directories appear
   * on demand), the zero chunk and the in-use marker; saves the 65,536 mkdirs per test.
   */
  readonly sparse?: boolean;
}

export async function makeS3TestDatastore(opts: TestS3DatastoreOptions): Promise<TestS3Datastore> {
  const dir = await makeScratchDir('pbs-s3ds-');
  const cacheBase = path.join(dir, 'cache');
  const lockDir = path.join(dir, 'run', 'locks', opts.name);
  const clients: S3Client[] = [];
  const makeBackend = (config: S3EndpointOptions = opts.config) => {
    const backend = S3Backend.fromConfig({
      name: opts.name,
      endpoint: config,
      bucket: opts.bucket,
      cacheBase,
      cacheCapacity: opts.cacheCapacity ?? 10_000,
      clock: opts.clock,
      syncLevel: 'none',
      client: { retry: { baseDelayMs: 10 }, idleTimeoutMs: opts.idleTimeoutMs },
    });
    clients.push(backend.client);
    return backend;
  };
  const backend = makeBackend();
  const common = { name: opts.name, backend, lockDir, clock: opts.clock, tuning: opts.tuning };
  const hostname = opts.hostname ?? 'test-node';
  let ds: Datastore;
  if (opts.sparse) {
    await fsp.mkdir(path.join(cacheBase, CHUNK_DIR), { recursive: true });
    await fsp.writeFile(path.join(cacheBase, LOCK_FILE), '');
    ds = await Datastore.open(common);
    await ds.chunkStore.insertZeroChunk();
    await backend.writeInUseMarker(hostname);
  } else {
    ds = await createS3Datastore({
      ...common,
      hostname,
      reuse: opts.reuse,
      overwriteInUse: opts.overwriteInUse,
    });
  }
  return {
    ds,
    backend,
    client: backend.client,
    cacheBase,
    lockDir,
    makeBackend,
    async cleanup() {
      for (const c of clients) c.destroy();
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}
