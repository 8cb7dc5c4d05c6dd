/**
 * s3-refresh as a worker task (pbs-formats §11.4, worker type `s3-refresh`, id = store): the
 * datastore goes into maintenance mode `s3-refresh` before the task starts (so readers and
 * writers are refused from then on), the cache's contents are rebuilt from the bucket, and the
 * mode is cleared on success. A failed refresh leaves the mode set, as PBS does: the operator
 * retries or clears it.
 */
import { AppError } from '@pbs/api-types';
import { s3Refresh } from '@pbs/datastore';
import { s3BackendOf } from '../s3/s3-clients.js';
import type { Services } from '../services.js';

export async function startS3Refresh(services: Services, store: string, authId: string): Promise<string> {
  const { datastores } = services;
  const config = await datastores.configOf(store);
  if (s3BackendOf(config) === undefined) {
    throw new AppError('INVALID_ARGUMENT', `datastore '${store}' is not backed by S3`, {
      details: { store },
    });
  }
  await datastores.config.update(store, (current) => {
    const mode = current.maintenanceMode;
    if (mode !== undefined && mode.type !== 's3-refresh') {
      throw new AppError('BUSY', `datastore '${store}' is in maintenance mode '${mode.type}'`, {
        details: { store, maintenance: mode.type },
      });
    }
    return { ...current, maintenanceMode: { type: 's3-refresh' } };
  });
  return services.tasks.spawn({
    type: 's3-refresh',
    id: store,
    authId,
    run: async (ctx) => {
      const { datastore } = await datastores.openForMaintenance(store);
      await s3Refresh(datastore, ctx);
      await datastores.config.update(store, (current) => {
        const { maintenanceMode, ...rest } = current;
        return maintenanceMode?.type === 's3-refresh' ? rest : current;
      });
      ctx.log(`datastore '${store}' left maintenance mode 's3-refresh'`);
    },
  });
}
