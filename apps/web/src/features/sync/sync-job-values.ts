/**
 * The sync-job editor's form values and their mapping to the create and update inputs: empty
 * fields are left out on create and deleted on update; booleans that are off are not written.
 */
import type { CreateSyncJobInput, SyncDirection, SyncJob, UpdateSyncJobInput } from '@pbs/api-types';
import { rowsFromStrings, rowsToStrings, type FilterRow } from './group-filters';

export interface SyncJobValues {
  id: string;
  direction: SyncDirection;
  store: string;
  ns: string;
  /** 'remote' or 'local' (another datastore of this server) */
  location: string;
  remote: string;
  remoteStore: string;
  remoteNs: string;
  maxDepth: number | string;
  owner: string;
  removeVanished: boolean;
  transferLast: number | string;
  resyncCorrupt: boolean;
  encryptedOnly: boolean;
  verifiedOnly: boolean;
  rateIn: string;
  burstIn: string;
  rateOut: string;
  burstOut: string;
  workerThreads: number | string;
  schedule: string;
  comment: string;
  filters: FilterRow[];
}

const TEXTS = [
  'ns',
  'remoteNs',
  'owner',
  'rateIn',
  'burstIn',
  'rateOut',
  'burstOut',
  'schedule',
  'comment',
] as const;
const NUMBERS = ['maxDepth', 'transferLast', 'workerThreads'] as const;
const FLAGS = ['removeVanished', 'resyncCorrupt', 'encryptedOnly', 'verifiedOnly'] as const;

export const FORM_FIELDS = ['id', 'store', 'remote', 'remoteStore', ...TEXTS, ...NUMBERS, ...FLAGS];

export function initialValues(
  job: SyncJob | null,
  direction: SyncDirection,
  store: string,
  authId: string,
): SyncJobValues {
  return {
    id: job?.id ?? '',
    direction: job?.syncDirection ?? direction,
    store: job?.store ?? store,
    ns: job?.ns ?? '',
    location: job === null || job.remote !== undefined ? 'remote' : 'local',
    remote: job?.remote ?? '',
    remoteStore: job?.remoteStore ?? '',
    remoteNs: job?.remoteNs ?? '',
    maxDepth: job?.maxDepth ?? '',
    owner: job === null ? authId : (job.owner ?? ''),
    removeVanished: job?.removeVanished ?? false,
    transferLast: job?.transferLast ?? '',
    resyncCorrupt: job?.resyncCorrupt ?? false,
    encryptedOnly: job?.encryptedOnly ?? false,
    verifiedOnly: job?.verifiedOnly ?? false,
    rateIn: job?.rateIn ?? '',
    burstIn: job?.burstIn ?? '',
    rateOut: job?.rateOut ?? '',
    burstOut: job?.burstOut ?? '',
    workerThreads: job?.workerThreads ?? '',
    schedule: job === null ? 'hourly' : (job.schedule ?? ''),
    comment: job?.comment ?? '',
    filters: rowsFromStrings(job?.groupFilter),
  };
}

export function toCreate(v: SyncJobValues): CreateSyncJobInput {
  const job: CreateSyncJobInput = {
    id: v.id.trim(),
    store: v.store,
    remoteStore: v.remoteStore.trim(),
    syncDirection: v.direction,
  };
  if (v.location === 'remote') job.remote = v.remote;
  for (const key of TEXTS) {
    const value = v[key].trim();
    if (value !== '') job[key] = value;
  }
  for (const key of NUMBERS) {
    const value = v[key];
    if (typeof value === 'number') job[key] = value;
  }
  for (const key of FLAGS) if (v[key]) job[key] = true;
  if (v.filters.length > 0) job.groupFilter = rowsToStrings(v.filters);
  return job;
}

export function toUpdate(job: SyncJob, digest: string, v: SyncJobValues): UpdateSyncJobInput {
  const input: UpdateSyncJobInput = {
    id: job.id,
    digest,
    store: v.store,
    remoteStore: v.remoteStore.trim(),
  };
  const remove: NonNullable<UpdateSyncJobInput['delete']> = [];
  if (v.location === 'remote') input.remote = v.remote;
  else if (job.remote !== undefined) remove.push('remote');
  for (const key of TEXTS) {
    const value = v[key].trim();
    if (value !== '') input[key] = value;
    else if (job[key] !== undefined) remove.push(key);
  }
  for (const key of NUMBERS) {
    const value = v[key];
    if (typeof value === 'number') input[key] = value;
    else if (job[key] !== undefined) remove.push(key);
  }
  for (const key of FLAGS) {
    if (v[key]) input[key] = true;
    else if (job[key] !== undefined) remove.push(key);
  }
  if (v.filters.length > 0) input.groupFilter = rowsToStrings(v.filters);
  else if (job.groupFilter !== undefined) remove.push('groupFilter');
  if (remove.length > 0) input.delete = remove;
  return input;
}
