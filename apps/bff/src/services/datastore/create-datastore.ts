/**
 * Datastore creation as a worker task: the chunk store layout (65,536 prefix dirs, seconds of
 * work) is built with progress, and the config entry is written only once the layout exists, so
 * a failed creation leaves no half-configured datastore behind. On S3 (pbs-formats §11.4) the
 * path is the local cache and createS3Datastore applies the in-use marker and reuse rules (a
 * reused datastore is refreshed from the bucket in the same task).
 */
import crypto from 'node:crypto';
import os from 'node:os';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  AppError,
  KEEP_OPTION_KEYS,
  type CreateDatastoreInput,
  type DatastoreConfig,
  type KeepOptions,
} from '@pbs/api-types';
import { createS3Datastore, Datastore } from '@pbs/datastore';
import { isS3Backend } from '@pbs/storage';
import type { TaskContext } from '@pbs/tasks';
import { checkScheduleField } from '../schedule.js';
import type { Services } from '../services.js';

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function checkTarget(services: Services, name: string, dir: string, reuse: boolean): Promise<void> {
  const { datastores } = services;
  const existing = await datastores.list();
  if (existing.some((ds) => ds.name === name) || datastores.creating.has(name)) {
    throw new AppError('ALREADY_EXISTS', `datastore '${name}' already exists`, {
      details: { field: 'name' },
    });
  }
  const nested = existing.find((ds) => isInside(dir, ds.path) || isInside(ds.path, dir));
  if (nested !== undefined) {
    throw new AppError(
      'INVALID_ARGUMENT',
      `path '${dir}' overlaps datastore '${nested.name}' at '${nested.path}'`,
      {
        details: { field: 'path' },
      },
    );
  }
  if (!reuse) await datastores.checkEmptyTarget(dir);
}

/** PBS moves legacy keep options of a new datastore into a prune job 'default-<store>-<uuid>'. */
function defaultPruneJob(name: string, schedule: string, keep: KeepOptions) {
  const id = `default-${name}-${crypto.randomUUID()}`.slice(0, 32);
  return { id, store: name, schedule, ...keep };
}

/** This server's node name, as the in-use marker records it. */
export function nodeName(): string {
  return os.hostname().split('.')[0] ?? 'localhost';
}

async function checkS3Backend(services: Services, input: CreateDatastoreInput): Promise<void> {
  const backend = input.backend;
  if (backend?.type !== 's3') {
    if (input.overwriteInUse) {
      throw new AppError('INVALID_ARGUMENT', 'overwrite-in-use applies to S3 datastores only', {
        details: { field: 'overwriteInUse' },
      });
    }
    return;
  }
  if ((await services.s3Endpoints.find(backend.client)) === undefined) {
    throw new AppError('NOT_FOUND', `S3 endpoint '${backend.client}' does not exist`, {
      details: { field: 'backend.client' },
    });
  }
}

async function createStore(
  services: Services,
  config: DatastoreConfig,
  input: { reuseDatastore: boolean; overwriteInUse?: boolean },
  ctx: TaskContext,
): Promise<void> {
  const backend = await services.datastores.storageFor(config);
  const common = {
    name: config.name,
    backend,
    lockDir: services.datastores.lockDir(config.name),
    clock: services.clock,
  };
  if (isS3Backend(backend)) {
    ctx.log(`datastore on ${backend.client.describe()}, local cache '${config.path}'`);
    await createS3Datastore({
      ...common,
      backend,
      hostname: nodeName(),
      reuse: input.reuseDatastore,
      overwriteInUse: input.overwriteInUse === true,
      ctx,
    });
  } else if (input.reuseDatastore) {
    ctx.log('reusing the existing datastore directory');
    await Datastore.open(common);
  } else {
    await Datastore.create({ ...common, ctx });
  }
}

export async function startCreateDatastore(
  services: Services,
  input: CreateDatastoreInput & { reuseDatastore: boolean },
  authId: string,
): Promise<string> {
  const name = input.name;
  const dir = input.path ? path.resolve(input.path) : services.datastores.defaultPath(name);
  checkScheduleField('gcSchedule', input.gcSchedule);
  checkScheduleField('pruneSchedule', input.pruneSchedule);
  await checkS3Backend(services, input);
  await checkTarget(services, name, dir, input.reuseDatastore);
  const keep = Object.fromEntries(
    KEEP_OPTION_KEYS.filter((k) => input[k] !== undefined).map((k) => [k, input[k]]),
  ) as KeepOptions;
  const config: DatastoreConfig = {
    name,
    path: dir,
    comment: input.comment,
    gcSchedule: input.gcSchedule,
    verifyNew: input.verifyNew,
    notificationMode: 'notification-system',
    backend: input.backend?.type === 's3' ? input.backend : undefined,
  };
  services.datastores.creating.add(name);
  try {
    return await services.tasks.spawn({
      type: 'create-datastore',
      id: name,
      authId,
      run: async (ctx) => {
        try {
          ctx.log(`creating datastore '${name}' on '${dir}'`);
          await fs.mkdir(dir, { recursive: true });
          await createStore(services, config, input, ctx);
          await services.datastores.config.create(config);
          if (input.pruneSchedule !== undefined && Object.keys(keep).length > 0) {
            const job = defaultPruneJob(name, input.pruneSchedule, keep);
            await services.pruneJobs.create(job);
            ctx.log(`created prune job '${job.id}' from the keep options`);
          }
          ctx.log(`datastore '${name}' is ready`);
        } finally {
          services.datastores.creating.delete(name);
        }
      },
    });
  } catch (err) {
    services.datastores.creating.delete(name);
    throw err;
  }
}
