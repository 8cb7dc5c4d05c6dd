import { z } from 'zod';
import { CommentSchema } from '../domain/names.js';
import {
  DatastoreNameSchema,
  DatastoreTuningSchema,
  KeepOptionsSchema,
  MaintenanceModeSchema,
} from '../domain/datastore.js';
import { DigestSchema } from './common.js';
import { BucketNameSchema, HumanByteSchema, S3EndpointIdSchema } from './s3.js';

/** A calendar event string; the server checks the grammar and names the field on error. */
export const ScheduleSchema = z.string().min(1).max(256);

export const DatastoreBackendSchema = z.object({
  type: z.enum(['filesystem', 's3']),
  client: z.string().optional(),
  bucket: z.string().optional(),
  maxCacheSize: z.string().optional(),
});

/** datastore.cfg entry (pbs-api-types DataStoreConfig), camelCase here, kebab-case on disk. */
export const DatastoreConfigSchema = z.object({
  name: DatastoreNameSchema,
  path: z.string().min(1).max(4096),
  comment: CommentSchema.optional(),
  gcSchedule: ScheduleSchema.optional(),
  gcOnUnmount: z.boolean().optional(),
  pruneSchedule: ScheduleSchema.optional(),
  ...KeepOptionsSchema.shape,
  verifyNew: z.boolean().optional(),
  notifyUser: z.string().optional(),
  notify: z.string().optional(),
  notificationMode: z.enum(['legacy-sendmail', 'notification-system']).optional(),
  tuning: DatastoreTuningSchema.optional(),
  maintenanceMode: MaintenanceModeSchema.optional(),
  backingDevice: z.string().optional(),
  backend: DatastoreBackendSchema.optional(),
  notificationThresholds: z.string().optional(),
  counterResetSchedule: ScheduleSchema.optional(),
});
export type DatastoreConfig = z.infer<typeof DatastoreConfigSchema>;

export const DatastoreListItemSchema = z.object({
  store: DatastoreNameSchema,
  comment: z.string().optional(),
  maintenance: MaintenanceModeSchema.optional(),
  backendType: z.enum(['filesystem', 's3']),
  /** set while the datastore's creation task has not finished */
  creating: z.boolean(),
});
export type DatastoreListItem = z.infer<typeof DatastoreListItemSchema>;

export const StoreRefSchema = z.object({ store: DatastoreNameSchema });
export type StoreRef = z.infer<typeof StoreRefSchema>;

export const DatastoreGetOutputSchema = z.object({ digest: DigestSchema, config: DatastoreConfigSchema });

/** Absolute path; empty means '<data dir>/datastores/<name>'. */
export const DatastorePathSchema = z
  .string()
  .max(4096)
  .refine((p) => p === '' || p.startsWith('/'), 'path must be absolute')
  .refine((p) => !p.split('/').includes('..'), "path must not contain '..'");

/**
 * The `backend` of a new datastore (PBS DatastoreBackendConfig, property string with default key
 * `type`): client and bucket are required for S3 and absent for the filesystem; not updatable.
 */
export const DatastoreBackendInputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('filesystem') }),
  z.object({
    type: z.literal('s3'),
    client: S3EndpointIdSchema,
    bucket: BucketNameSchema,
    /** LRU cap of the local cache (HumanByte); default: the cache filesystem's free space */
    maxCacheSize: HumanByteSchema.optional(),
  }),
]);
export type DatastoreBackendInput = z.infer<typeof DatastoreBackendInputSchema>;

export const CreateDatastoreInputSchema = z.object({
  name: DatastoreNameSchema,
  path: DatastorePathSchema.default(''),
  comment: CommentSchema.optional(),
  gcSchedule: ScheduleSchema.optional(),
  pruneSchedule: ScheduleSchema.optional(),
  ...KeepOptionsSchema.shape,
  verifyNew: z.boolean().optional(),
  /** take over an existing datastore directory instead of requiring an empty one */
  reuseDatastore: z.boolean().default(false),
  /** filesystem (default) or S3; for S3, `path` is the local cache */
  backend: DatastoreBackendInputSchema.optional(),
  /** S3: take the bucket's datastore over although another server's in-use marker is present */
  overwriteInUse: z.boolean().default(false),
});
export type CreateDatastoreInput = z.input<typeof CreateDatastoreInputSchema>;

export const DATASTORE_DELETABLE = [
  'comment',
  'gcSchedule',
  'verifyNew',
  'tuning',
  'maintenanceMode',
  'notify',
  'notifyUser',
  'notificationMode',
] as const;

export const UpdateDatastoreInputSchema = z.object({
  name: DatastoreNameSchema,
  comment: CommentSchema.optional(),
  gcSchedule: ScheduleSchema.optional(),
  verifyNew: z.boolean().optional(),
  tuning: DatastoreTuningSchema.optional(),
  maintenanceMode: MaintenanceModeSchema.optional(),
  notificationMode: z.enum(['legacy-sendmail', 'notification-system']).optional(),
  delete: z.array(z.enum(DATASTORE_DELETABLE)).optional(),
  digest: DigestSchema.optional(),
});
export type UpdateDatastoreInput = z.input<typeof UpdateDatastoreInputSchema>;

export const RemoveDatastoreInputSchema = z.object({
  name: DatastoreNameSchema,
  /** also delete every chunk, index and snapshot on disk (irreversible) */
  destroyData: z.boolean().default(false),
  /** leave prune and verify jobs and ACL entries of this datastore in place */
  keepJobConfigs: z.boolean().default(false),
  digest: DigestSchema.optional(),
});
export type RemoveDatastoreInput = z.input<typeof RemoveDatastoreInputSchema>;

export const TaskIdOutputSchema = z.object({ taskId: z.string() });
export type TaskIdOutput = z.infer<typeof TaskIdOutputSchema>;
