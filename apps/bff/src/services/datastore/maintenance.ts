/**
 * Maintenance-mode rules (pbs-formats §1.7): read-only blocks writes; offline, unmount and
 * s3-refresh block reads and writes but allow lookups; delete blocks everything.
 */
import { AppError, type DatastoreOperation, type MaintenanceMode } from '@pbs/api-types';

export function checkMaintenance(
  store: string,
  mode: MaintenanceMode | undefined,
  op: DatastoreOperation,
): void {
  if (mode === undefined) return;
  const blocked =
    mode.type === 'delete' ||
    (op !== 'lookup' && mode.type !== 'read-only') ||
    (op === 'write' && mode.type === 'read-only');
  if (!blocked) return;
  const why = mode.message ? `: ${mode.message}` : '';
  throw new AppError('BUSY', `datastore '${store}' is in maintenance mode '${mode.type}'${why}`, {
    details: { store, maintenance: mode.type },
  });
}
