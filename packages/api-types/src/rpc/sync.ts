/**
 * Sync jobs (sync.cfg type `sync`, pbs §13.2) and one-shot pull/push. Field names are the
 * camelCase forms of PBS's kebab-case keys. `remote` unset means a local sync (another datastore
 * on this server). For pull, `store`/`ns` are the target and `remote*` the source; for push the
 * other way round.
 */
import { z } from 'zod';
import { AuthIdSchema, CommentSchema } from '../domain/names.js';
import { DatastoreNameSchema, MaxDepthSchema } from '../domain/datastore.js';
import { SYNC_DIRECTIONS, parseGroupFilter } from '../domain/sync.js';
import { DigestSchema } from './common.js';
import { NamespaceSchema } from './content.js';
import { JobStatusSchema } from './datastore-status.js';
import { ScheduleSchema } from './datastore.js';
import { JobIdSchema } from './jobs.js';
import { RemoteNameSchema } from './remote.js';
import { HumanByteSchema } from './s3.js';

export const SyncDirectionSchema = z.enum(SYNC_DIRECTIONS);

/** `[include:|exclude:]type:<vm|ct|host>`, `…group:<type>/<id>` or `…regex:<RE>` */
export const GroupFilterSchema = z
  .string()
  .min(1)
  .max(1024)
  .superRefine((value, ctx) => {
    const parsed = parseGroupFilter(value);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  });

/** What a sync does, without job identity: shared by sync jobs and one-shot pull/push. */
export const SyncOptionsSchema = z.object({
  /** local datastore: target of a pull, source of a push */
  store: DatastoreNameSchema,
  ns: NamespaceSchema.optional(),
  /** unset: local sync from/to another datastore of this server */
  remote: RemoteNameSchema.optional(),
  remoteStore: DatastoreNameSchema,
  remoteNs: NamespaceSchema.optional(),
  /** default pull */
  syncDirection: SyncDirectionSchema.optional(),
  /** pull: local owner of new groups (default root@pam); push: local user whose groups are pushed */
  owner: AuthIdSchema.optional(),
  removeVanished: z.boolean().optional(),
  /** levels below ns/remoteNs; unset: all */
  maxDepth: MaxDepthSchema.optional(),
  groupFilter: z.array(GroupFilterSchema).optional(),
  /** only the newest N snapshots per group */
  transferLast: z.number().int().min(1).optional(),
  resyncCorrupt: z.boolean().optional(),
  encryptedOnly: z.boolean().optional(),
  verifiedOnly: z.boolean().optional(),
  rateIn: HumanByteSchema.optional(),
  burstIn: HumanByteSchema.optional(),
  rateOut: HumanByteSchema.optional(),
  burstOut: HumanByteSchema.optional(),
  workerThreads: z.number().int().min(1).max(32).optional(),
});
export type SyncOptions = z.infer<typeof SyncOptionsSchema>;

/** sync.cfg entry */
export const SyncJobConfigSchema = SyncOptionsSchema.extend({
  id: JobIdSchema,
  schedule: ScheduleSchema.optional(),
  comment: CommentSchema.optional(),
  /** removable datastores: accepted and stored for PBS compatibility */
  runOnMount: z.boolean().optional(),
  unmountOnDone: z.boolean().optional(),
});
export type SyncJobConfig = z.infer<typeof SyncJobConfigSchema>;

export const SyncJobSchema = SyncJobConfigSchema.extend({ status: JobStatusSchema });
export type SyncJob = z.infer<typeof SyncJobSchema>;

export const SyncJobListInputSchema = z.object({
  store: DatastoreNameSchema.optional(),
  syncDirection: SyncDirectionSchema.optional(),
});
export const SyncJobListOutputSchema = z.object({ digest: DigestSchema, items: z.array(SyncJobSchema) });
export type SyncJobListOutput = z.infer<typeof SyncJobListOutputSchema>;

export const CreateSyncJobInputSchema = SyncJobConfigSchema;
export type CreateSyncJobInput = z.input<typeof CreateSyncJobInputSchema>;

export const SYNC_JOB_DELETABLE = [
  'ns',
  'remote',
  'remoteNs',
  'owner',
  'removeVanished',
  'maxDepth',
  'groupFilter',
  'transferLast',
  'resyncCorrupt',
  'encryptedOnly',
  'verifiedOnly',
  'rateIn',
  'burstIn',
  'rateOut',
  'burstOut',
  'workerThreads',
  'schedule',
  'comment',
  'runOnMount',
  'unmountOnDone',
] as const;

export const UpdateSyncJobInputSchema = SyncJobConfigSchema.partial()
  .required({ id: true })
  .extend({
    delete: z.array(z.enum(SYNC_JOB_DELETABLE)).optional(),
    digest: DigestSchema.optional(),
  });
export type UpdateSyncJobInput = z.input<typeof UpdateSyncJobInputSchema>;

export const SyncJobRefSchema = z.object({ id: JobIdSchema, digest: DigestSchema.optional() });

/** One-shot pull/push (PBS POST /pull, /push): the options without a job. */
export const SyncRunInputSchema = SyncOptionsSchema.omit({ syncDirection: true });
export type SyncRunInput = z.input<typeof SyncRunInputSchema>;

export const SyncJobGetOutputSchema = z.object({ digest: DigestSchema, job: SyncJobSchema });
export type SyncJobGetOutput = z.infer<typeof SyncJobGetOutputSchema>;
