/**
 * Who may see, edit and run sync jobs, and run one-shot pulls and pushes (PBS
 * api2/config/sync.rs check_sync_job_read_access / check_sync_job_modify_access, api2/pull.rs
 * check_pull_privs, api2/push.rs check_push_privs). ACL paths: the local side
 * /datastore/{store}[/{ns…}], a remote /remote/{remote}[/{store}[/{ns…}]].
 */
import { AppError, privilegeBit, type Privilege, type SyncOptions } from '@pbs/api-types';
import { isBackupOwner } from '@pbs/datastore';
import type { Services } from '../services.js';

export const ROOT_AUTH_ID = 'root@pam';

export function localPath(store: string, ns?: string): string {
  return ns !== undefined && ns !== '' ? `/datastore/${store}/${ns}` : `/datastore/${store}`;
}

export function remotePath(remote: string, store?: string, ns?: string): string {
  let p = `/remote/${remote}`;
  if (store !== undefined) p += `/${store}`;
  if (ns !== undefined && ns !== '') p += `/${ns}`;
  return p;
}

async function has(services: Services, authId: string, path: string, priv: Privilege): Promise<boolean> {
  return ((await services.access.privileges(authId, path)) & privilegeBit(priv)) !== 0;
}

function isCorrectOwner(authId: string, job: SyncOptions): boolean {
  return job.owner !== undefined ? isBackupOwner(job.owner, authId) : authId === ROOT_AUTH_ID;
}

/** Whether the job shows up for `authId` (Datastore.Audit locally, Remote.Audit / source Audit). */
export async function canReadSyncJob(services: Services, authId: string, job: SyncOptions): Promise<boolean> {
  if (!(await has(services, authId, localPath(job.store, job.ns), 'Datastore.Audit'))) return false;
  if ((job.syncDirection ?? 'pull') === 'pull') {
    return job.remote !== undefined
      ? has(services, authId, remotePath(job.remote), 'Remote.Audit')
      : has(services, authId, localPath(job.remoteStore), 'Datastore.Audit');
  }
  if (job.remote === undefined) return false;
  return has(services, authId, remotePath(job.remote, job.remoteStore, job.remoteNs), 'Remote.Audit');
}

/** Whether `authId` may create, edit, remove and run the job. */
export async function canModifySyncJob(
  services: Services,
  authId: string,
  job: SyncOptions,
): Promise<boolean> {
  const local = localPath(job.store, job.ns);
  const mask = await services.access.privileges(authId, local);
  const hasLocal = (p: Privilege) => (mask & privilegeBit(p)) !== 0;
  if ((job.syncDirection ?? 'pull') === 'pull') {
    if (!hasLocal('Datastore.Audit') || !hasLocal('Datastore.Backup')) return false;
    if (job.removeVanished === true && !hasLocal('Datastore.Prune')) return false;
    if (!isCorrectOwner(authId, job) && !hasLocal('Datastore.Modify')) return false;
    if (job.remote !== undefined)
      return has(services, authId, remotePath(job.remote, job.remoteStore), 'Remote.Read');
    return true;
  }
  if (job.remote === undefined) return false;
  const target = remotePath(job.remote, job.remoteStore, job.remoteNs);
  if (!(await has(services, authId, target, 'Remote.DatastoreBackup'))) return false;
  if (job.removeVanished === true && !(await has(services, authId, target, 'Remote.DatastorePrune')))
    return false;
  if (!hasLocal('Datastore.Audit')) return false;
  if (hasLocal('Datastore.Read')) return true;
  if (!isCorrectOwner(authId, job) && !hasLocal('Datastore.Modify')) return false;
  return hasLocal('Datastore.Backup');
}

export async function checkModifySyncJob(
  services: Services,
  authId: string,
  job: SyncOptions,
): Promise<void> {
  if (!(await canModifySyncJob(services, authId, job)))
    throw new AppError('PERMISSION_DENIED', `permission check failed, '${authId}' is missing access`);
}

/** POST /pull: Datastore.Backup on the target, Remote.Read (or source Datastore.Backup), Prune to delete. */
export async function checkPullPrivs(services: Services, authId: string, job: SyncOptions): Promise<void> {
  const local = localPath(job.store, job.ns);
  await services.access.checkPrivileges(authId, local, ['Datastore.Backup']);
  if (job.remote !== undefined)
    await services.access.checkPrivileges(authId, remotePath(job.remote, job.remoteStore), ['Remote.Read']);
  else await services.access.checkPrivileges(authId, localPath(job.remoteStore), ['Datastore.Backup']);
  if (job.removeVanished === true) await services.access.checkPrivileges(authId, local, ['Datastore.Prune']);
}

/** POST /push: Remote.DatastoreBackup (and Prune to delete) on the remote target, Read or Backup locally. */
export async function checkPushPrivs(services: Services, authId: string, job: SyncOptions): Promise<void> {
  if (job.remote === undefined) throw new AppError('INVALID_ARGUMENT', 'a push needs a remote');
  const target = remotePath(job.remote, job.remoteStore, job.remoteNs);
  await services.access.checkPrivileges(authId, target, ['Remote.DatastoreBackup']);
  if (job.removeVanished === true)
    await services.access.checkPrivileges(authId, target, ['Remote.DatastorePrune']);
  await services.access.checkPrivileges(
    authId,
    localPath(job.store, job.ns),
    ['Datastore.Read', 'Datastore.Backup'],
    {
      any: true,
    },
  );
}
