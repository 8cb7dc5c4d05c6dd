/**
 * Datastore removal as a worker task. The config entry (and, unless kept, its jobs and ACL
 * entries) goes first, then — only when asked — the data: PBS's own entries of the directory
 * (.chunks, .lock, .gc-status, type dirs, ns) and the directory itself if nothing else is left.
 * On S3 (pbs-formats §11.4): with destroy-data every object of the datastore and the local
 * cache go; without, only the in-use marker, so another server can take the data over.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DatastoreConfig, RemoveDatastoreInput } from '@pbs/api-types';
import { destroyS3Datastore } from '@pbs/datastore';
import { isS3Backend } from '@pbs/storage';
import type { TaskContext } from '@pbs/tasks';
import type { Services } from '../services.js';

const DATASTORE_ENTRIES = ['.chunks', '.lock', '.gc-status', 'vm', 'ct', 'host', 'ns'];

/**
 * One recursive fs.rm over 65,536 prefix directories queues so many operations on libuv's
 * thread pool that the server's other file I/O (config reads, task logs, this very request's
 * reply) waits behind it for seconds. The prefixes go two at a time instead, with progress.
 */
async function removeChunkDirs(chunks: string, ctx: TaskContext): Promise<void> {
  const prefixes = await fs.readdir(chunks).catch(() => [] as string[]);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < prefixes.length) {
      const i = next++;
      if ((i & 255) === 0) {
        ctx.throwIfAborted();
        ctx.progress({ fraction: i / prefixes.length, phase: 'removing .chunks' });
      }
      await fs.rm(path.join(chunks, prefixes[i] as string), { recursive: true, force: true });
    }
  };
  // two of libuv's four threads: the rest stay free for the server
  await Promise.all([worker(), worker()]);
  await fs.rm(chunks, { recursive: true, force: true });
}

async function destroyData(dir: string, ctx: TaskContext): Promise<void> {
  for (const entry of DATASTORE_ENTRIES) {
    ctx.throwIfAborted();
    if (entry === '.chunks') await removeChunkDirs(path.join(dir, entry), ctx);
    else await fs.rm(path.join(dir, entry), { recursive: true, force: true });
  }
  const left = await fs.readdir(dir).catch(() => []);
  if (left.length === 0) await fs.rmdir(dir).catch(() => undefined);
  else ctx.log(`kept '${dir}': it still holds ${left.length} foreign entr${left.length === 1 ? 'y' : 'ies'}`);
}

async function removeJobsAndAcl(services: Services, store: string, ctx: TaskContext): Promise<void> {
  await services.pruneJobs.removeWhere((job) => job.store === store);
  await services.verifyJobs.removeWhere((job) => job.store === store);
  const acl = await services.access.listAcl({ path: `/datastore/${store}` });
  for (const entry of acl.items) {
    await services.access.updateAcl({
      path: entry.path,
      role: entry.roleid,
      authId: entry.ugid,
      delete: true,
    });
  }
  ctx.log(
    `removed the jobs and ${acl.items.length} permission entr${acl.items.length === 1 ? 'y' : 'ies'} of '${store}'`,
  );
}

export async function startRemoveDatastore(
  services: Services,
  input: Required<Omit<RemoveDatastoreInput, 'digest'>> & { digest?: string },
  authId: string,
): Promise<string> {
  const { item: config } = await services.datastores.config.get(input.name);
  const store = input.name;
  // The 'delete' maintenance mode stops every other operation while we work. It is set before
  // the task starts, so that a stale digest is refused to the caller (as PBS does), not in the log.
  await services.datastores.config.update(
    store,
    (c) => ({ ...c, maintenanceMode: { type: 'delete' } }),
    input.digest,
  );
  services.datastores.forget(store);
  try {
    return await services.tasks.spawn({
      type: 'delete-datastore',
      id: store,
      authId,
      run: (ctx) => removeStore(services, config, input, ctx),
    });
  } catch (err) {
    await services.datastores.config.update(store, (c) => ({
      ...c,
      maintenanceMode: config.maintenanceMode,
    }));
    throw err;
  }
}

async function removeStore(
  services: Services,
  config: DatastoreConfig,
  input: { destroyData: boolean; keepJobConfigs: boolean },
  ctx: TaskContext,
): Promise<void> {
  const store = config.name;
  const dir = config.path;
  // built before the config entry goes: it needs the entry's endpoint. An S3 datastore whose
  // endpoint cannot be used any more is still removed from the configuration (with a warning):
  // its objects and in-use marker stay in the bucket.
  const storage = await services.datastores.storageFor(config).catch((err: unknown) => {
    if (config.backend?.type !== 's3') throw err;
    ctx.warn(`the S3 objects of '${store}' were left untouched: ${(err as Error).message}`);
    return undefined;
  });
  if (!input.keepJobConfigs) await removeJobsAndAcl(services, store, ctx);
  await services.datastores.config.remove(store);
  // PBS drops the store's GC job state too: a new store of the same name starts afresh.
  await services.jobStates.remove('garbage_collection', store);
  ctx.log(`removed datastore '${store}' from the configuration`);
  if (storage !== undefined && isS3Backend(storage)) {
    await destroyS3Datastore(storage, { destroyData: input.destroyData, ctx });
    storage.client.destroy();
  }
  if (input.destroyData) {
    ctx.log(`destroying all data in '${dir}'`);
    await destroyData(dir, ctx);
  } else {
    ctx.log(`the data in '${dir}' was left in place`);
  }
}
