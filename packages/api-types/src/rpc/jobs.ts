import { z } from 'zod';
import { CommentSchema, safeIdSchema } from '../domain/names.js';
import { DatastoreNameSchema, KeepOptionsSchema, MaxDepthSchema } from '../domain/datastore.js';
import { DigestSchema } from './common.js';
import { ScheduleSchema } from './datastore.js';
import { JobStatusSchema } from './datastore-status.js';
import { NamespaceSchema } from './content.js';

export const JobIdSchema = safeIdSchema('job id', 3, 32);

/** prune.cfg entry (pbs-api-types PruneJobConfig) */
export const PruneJobConfigSchema = z.object({
  id: JobIdSchema,
  store: DatastoreNameSchema,
  schedule: ScheduleSchema,
  disable: z.boolean().optional(),
  comment: CommentSchema.optional(),
  ns: NamespaceSchema.optional(),
  maxDepth: MaxDepthSchema.optional(),
  ...KeepOptionsSchema.shape,
});
export type PruneJobConfig = z.infer<typeof PruneJobConfigSchema>;

/** verification.cfg entry (pbs-api-types VerificationJobConfig) */
export const VerifyJobConfigSchema = z.object({
  id: JobIdSchema,
  store: DatastoreNameSchema,
  schedule: ScheduleSchema.optional(),
  ignoreVerified: z.boolean().optional(),
  outdatedAfter: z.number().int().min(0).optional(),
  comment: CommentSchema.optional(),
  ns: NamespaceSchema.optional(),
  maxDepth: MaxDepthSchema.optional(),
  readThreads: z.number().int().min(1).max(32).optional(),
  verifyThreads: z.number().int().min(1).max(32).optional(),
});
export type VerifyJobConfig = z.infer<typeof VerifyJobConfigSchema>;

export const PruneJobSchema = PruneJobConfigSchema.extend({ status: JobStatusSchema });
export type PruneJob = z.infer<typeof PruneJobSchema>;
export const VerifyJobSchema = VerifyJobConfigSchema.extend({ status: JobStatusSchema });
export type VerifyJob = z.infer<typeof VerifyJobSchema>;

export const JobListInputSchema = z.object({ store: DatastoreNameSchema.optional() });

export const PruneJobListOutputSchema = z.object({ digest: DigestSchema, items: z.array(PruneJobSchema) });
export const VerifyJobListOutputSchema = z.object({ digest: DigestSchema, items: z.array(VerifyJobSchema) });

export const UpdatePruneJobInputSchema = PruneJobConfigSchema.partial()
  .required({ id: true })
  .extend({
    delete: z
      .array(
        z.enum([
          'comment',
          'disable',
          'ns',
          'maxDepth',
          'keepLast',
          'keepHourly',
          'keepDaily',
          'keepWeekly',
          'keepMonthly',
          'keepYearly',
        ]),
      )
      .optional(),
    digest: DigestSchema.optional(),
  });
export type UpdatePruneJobInput = z.input<typeof UpdatePruneJobInputSchema>;

export const UpdateVerifyJobInputSchema = VerifyJobConfigSchema.partial()
  .required({ id: true })
  .extend({
    delete: z
      .array(
        z.enum([
          'comment',
          'schedule',
          'ignoreVerified',
          'outdatedAfter',
          'ns',
          'maxDepth',
          'readThreads',
          'verifyThreads',
        ]),
      )
      .optional(),
    digest: DigestSchema.optional(),
  });
export type UpdateVerifyJobInput = z.input<typeof UpdateVerifyJobInputSchema>;

export const JobRefSchema = z.object({ id: JobIdSchema, digest: DigestSchema.optional() });

/** GC "job": the datastore's gc-schedule plus its last run (PBS /admin/gc). */
export const GcJobSchema = z.object({
  store: DatastoreNameSchema,
  schedule: z.string().nullable(),
  status: JobStatusSchema,
});
export type GcJob = z.infer<typeof GcJobSchema>;
