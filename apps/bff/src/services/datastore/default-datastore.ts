/**
 * A fresh install is ready for backups: on the first start the server creates the datastore
 * 'local' under the data dir (PBS_DEFAULT_DATASTORE=none skips it). A marker in lib/ remembers
 * that this happened, so an admin who removes 'local' does not get it back at the next start.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Services } from '../services.js';
import { startCreateDatastore } from './create-datastore.js';

export const DEFAULT_DATASTORE = 'local';

export async function ensureDefaultDatastore(services: Services): Promise<string | null> {
  if (services.config.defaultDatastore === 'none') return null;
  const marker = path.join(services.layout.lib, 'default-datastore-created');
  try {
    await fs.access(marker);
    return null;
  } catch {
    // not created yet
  }
  if ((await services.datastores.list()).some((ds) => ds.name === DEFAULT_DATASTORE)) return null;
  const upid = await startCreateDatastore(
    services,
    {
      name: DEFAULT_DATASTORE,
      path: '',
      comment: 'default datastore',
      gcSchedule: 'daily',
      reuseDatastore: false,
    },
    'root@pam',
  );
  await fs.writeFile(marker, `${upid}\n`);
  return upid;
}
