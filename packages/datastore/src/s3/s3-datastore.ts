import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import { CHUNK_DIR, type S3Backend } from '@pbs/storage';
import { Datastore, type DatastoreOptions } from '../datastore.js';
import { GC_STATUS_FILE } from '../gc/gc-status.js';
import type { OperationContext } from '../operation-context.js';
import { s3Refresh, S3_REFRESH_TEMP_PREFIX } from './s3-refresh.js';

/*
 * Datastores on S3 (pbs-formats §11.4): creation with the in-use marker and reuse rules, and
 * destruction. The marker `<store>/.in-use` = {"hostname": …} says which server uses the
 * datastore's objects; creation refuses a bucket whose marker is present unless told to
 * overwrite it. The local cache is never assumed valid: creation empties it (chunks included,
 * the pitfall PBS fixed in 4.0.5: a stale cached chunk makes the server skip an upload) and a
 * reused datastore gets its contents from the bucket by an s3-refresh.
 */

export interface CreateS3DatastoreOptions extends DatastoreOptions {
  readonly backend: S3Backend;
  /** this server's node name, written into the in-use marker */
  readonly hostname: string;
  /** take over the datastore's objects already in the bucket (runs an s3-refresh) */
  readonly reuse?: boolean;
  /** proceed although another server's in-use marker is present */
  readonly overwriteInUse?: boolean;
  readonly ctx?: OperationContext;
}

/** BUSY if the bucket holds this datastore's in-use marker (names the host if it says). */
export async function refuseIfInUse(backend: S3Backend): Promise<void> {
  const marker = await backend.readInUseMarker();
  if (marker === undefined) return;
  const by = typeof marker.hostname === 'string' ? ` by host '${marker.hostname}'` : '';
  throw new AppError(
    'BUSY',
    `${backend.client.describe()} already contains datastore '${backend.name}' in use${by}; overwrite the in-use marker to take it over`,
    { details: { hostname: marker.hostname, store: backend.name, bucket: backend.client.bucket } },
  );
}

/** True if the bucket has content or chunk objects of this datastore. */
export async function hasS3DatastoreObjects(backend: S3Backend): Promise<boolean> {
  return (
    (await backend.client.hasObjects(backend.keys.contentPrefix)) ||
    (await backend.client.hasObjects(backend.keys.chunkPrefix))
  );
}

/** Empties the cache directory of everything a datastore put there (keeps `.lock`). */
export async function dropLocalCache(base: string): Promise<void> {
  const entries = await fsp.readdir(base).catch(() => [] as string[]);
  for (const name of entries) {
    if (
      [CHUNK_DIR, 'vm', 'ct', 'host', 'ns', GC_STATUS_FILE].includes(name) ||
      name.startsWith(S3_REFRESH_TEMP_PREFIX)
    ) {
      await fsp.rm(path.join(base, name), { recursive: true, force: true });
    }
  }
}

/**
 * do_create_datastore for S3: the bucket must answer; the in-use marker must be absent (or
 * overwritten); a new datastore must not find objects of an old one under its name (they would
 * be swept as unreferenced, and come back with a later refresh), a reused one takes them over.
 */
export async function createS3Datastore(opts: CreateS3DatastoreOptions): Promise<Datastore> {
  const { backend, ctx } = opts;
  await backend.client.headBucket();
  if (!opts.overwriteInUse) await refuseIfInUse(backend);
  if (!opts.reuse && (await hasS3DatastoreObjects(backend))) {
    throw new AppError(
      'ALREADY_EXISTS',
      `${backend.client.describe()} already holds objects of datastore '${backend.name}'; reuse the datastore or choose another name`,
      { details: { store: backend.name, bucket: backend.client.bucket } },
    );
  }
  ctx?.log(`preparing the local cache at '${backend.localBase}'`);
  await dropLocalCache(backend.localBase);
  const ds = await Datastore.create(opts);
  await backend.writeInUseMarker(opts.hostname);
  ctx?.log(`marked datastore '${backend.name}' in use by '${opts.hostname}' in ${backend.client.describe()}`);
  if (opts.reuse) await s3Refresh(ds, ctx ?? silentLog());
  return ds;
}

function silentLog(): OperationContext {
  return {
    signal: new AbortController().signal,
    log: () => undefined,
    warn: () => undefined,
    progress: () => undefined,
  };
}

/**
 * Removal of an S3 datastore's objects: with `destroyData` everything under `<store>/` (the
 * marker included), otherwise only the in-use marker, so another server can take the data over.
 * The cache directory is the caller's to remove.
 */
export async function destroyS3Datastore(
  backend: S3Backend,
  opts: { destroyData: boolean; ctx?: OperationContext },
): Promise<{ deletedObjects: number }> {
  if (!opts.destroyData) {
    await backend.removeInUseMarker();
    opts.ctx?.log(`removed the in-use marker of datastore '${backend.name}'; its data stays in the bucket`);
    return { deletedObjects: 1 };
  }
  const deletedObjects = await backend.client.deletePrefix(backend.keys.storePrefix, {
    signal: opts.ctx?.signal,
  });
  opts.ctx?.log(
    `deleted ${deletedObjects} objects of datastore '${backend.name}' from ${backend.client.describe()}`,
  );
  return { deletedObjects };
}
