import { z } from 'zod';
import { EpochSchema } from './common.js';
import { S3DatastoreStatsSchema } from './s3.js';

export const GcStatusSchema = z.object({
  upid: z.string().nullable(),
  indexFileCount: z.number(),
  indexDataBytes: z.number(),
  diskBytes: z.number(),
  diskChunks: z.number(),
  removedBytes: z.number(),
  removedChunks: z.number(),
  pendingBytes: z.number(),
  pendingChunks: z.number(),
  removedBad: z.number(),
  stillBad: z.number(),
  cacheStats: z.object({ hits: z.number(), misses: z.number() }).optional(),
});
export type GcStatus = z.infer<typeof GcStatusSchema>;

const TypeCountsSchema = z.object({ groups: z.number(), snapshots: z.number() });

export const DatastoreStatusSchema = z.object({
  store: z.string(),
  total: z.number(),
  used: z.number(),
  avail: z.number(),
  counts: z.object({ ct: TypeCountsSchema, host: TypeCountsSchema, vm: TypeCountsSchema }),
  gcStatus: GcStatusSchema.nullable(),
  /** index data bytes / disk bytes of the last GC; null before the first GC */
  dedupFactor: z.number().nullable(),
  backendType: z.enum(['filesystem', 's3']),
  /** S3 datastores: request and traffic counters and the estimated monthly cost */
  s3: S3DatastoreStatsSchema.optional(),
});
export type DatastoreStatus = z.infer<typeof DatastoreStatusSchema>;

export const UsagePointSchema = z.object({ time: EpochSchema, total: z.number(), used: z.number() });

export const UsageHistorySchema = z.object({
  store: z.string(),
  points: z.array(UsagePointSchema),
  /** linear regression over the history; null when usage does not grow or data is too short */
  estimatedFullDate: EpochSchema.nullable(),
});
export type UsageHistory = z.infer<typeof UsageHistorySchema>;

/** Last and next run of a scheduled job (PBS JobScheduleStatus). */
export const JobStatusSchema = z.object({
  nextRun: EpochSchema.nullable(),
  lastRunUpid: z.string().nullable(),
  lastRunState: z.enum(['ok', 'warning', 'error', 'unknown', 'running']).nullable(),
  lastRunEndtime: EpochSchema.nullable(),
  lastRunStarttime: EpochSchema.nullable(),
});
export type JobStatus = z.infer<typeof JobStatusSchema>;
