/**
 * Datastore creation as a worker task: the chunk store layout (65,536 prefix dirs, seconds of
 * work) is built with progress, and the config entry is written only once the layout exists, so
 * a failed creation leaves no half-configured datastore behind.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  AppError,
  KEEP_OPTION_KEYS,
  type CreateDatastoreInput,
  type DatastoreConfig,
  type KeepOptions,
} from '@pbs/api-types';
import { Datastore } from '@pbs/datastore';
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

export async function startCreateDatastore(
  services: Services,
  input: CreateDatastoreInput & { reuseDatastore: boolean },
  authId: string,
): Promise<string> {
  const name = input.name;
  const dir = input.path ? path.resolve(input.path) : services.datastores.defaultPath(name);
  checkScheduleField('gcSchedule', input.gcSchedule);
  checkScheduleField('pruneSchedule', input.pruneSchedule);
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
          const common = {
            name,
            backend: services.datastores.backendFor(config),
            lockDir: services.datastores.lockDir(name),
            clock: services.clock,
          };
          if (input.reuseDatastore) {
            ctx.log('reusing the existing datastore directory');
            await Datastore.open(common);
          } else {
            await Datastore.create({ ...common, ctx });
          }
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
