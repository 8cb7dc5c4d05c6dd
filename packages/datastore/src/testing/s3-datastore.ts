import fsp from 'node:fs/promises';
import path from 'node:path';
import type { S3Client} from '@pbs/storage';
import { S3Backend, type S3EndpointOptions } from '@pbs/storage';
import type { DatastoreTuning } from '../datastore-core.js';
import type { Datastore } from '../datastore.js';
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
  const ds = await createS3Datastore({
    name: opts.name,
    backend,
    lockDir,
    clock: opts.clock,
    tuning: opts.tuning,
    hostname: opts.hostname ?? 'test-node',
    reuse: opts.reuse,
    overwriteInUse: opts.overwriteInUse,
  });
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
