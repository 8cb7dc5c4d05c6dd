/** Datastore-level grammars from pbs-api-types (datastore.rs): names, maintenance modes, tuning. */
import { z } from 'zod';
import { safeIdSchema } from './names.js';

export const DatastoreNameSchema = safeIdSchema('datastore name', 3, 32);

export const MAINTENANCE_TYPES = ['read-only', 'offline', 'delete', 'unmount', 's3-refresh'] as const;
export const MaintenanceTypeSchema = z.enum(MAINTENANCE_TYPES);
export type MaintenanceType = z.infer<typeof MaintenanceTypeSchema>;

export const MaintenanceModeSchema = z.object({
  type: MaintenanceTypeSchema,
  message: z
    .string()
    .max(64, 'maintenance message must be at most 64 characters')
    .regex(/^[^\p{Cc}]*$/u, 'maintenance message must not contain control characters')
    .optional(),
});
export type MaintenanceMode = z.infer<typeof MaintenanceModeSchema>;

/** What an operation does to a datastore, for maintenance-mode checks. */
export type DatastoreOperation = 'lookup' | 'read' | 'write';

export const DatastoreTuningSchema = z.object({
  chunkOrder: z.enum(['none', 'inode']).optional(),
  syncLevel: z.enum(['none', 'file', 'filesystem']).optional(),
  gcAtimeSafetyCheck: z.boolean().optional(),
  gcAtimeCutoff: z.number().int().min(1).max(2880).optional(),
  gcCacheCapacity: z.number().int().min(0).max(8_388_608).optional(),
  defaultVerificationWorkers: z.number().int().min(1).max(32).optional(),
  defaultVerificationReaders: z.number().int().min(1).max(32).optional(),
});
export type DatastoreTuning = z.infer<typeof DatastoreTuningSchema>;

/** Prune keep options: absent means the rule is not used; PBS requires at least 1 when set. */
export const KeepOptionsSchema = z.object({
  keepLast: z.number().int().min(1).optional(),
  keepHourly: z.number().int().min(1).optional(),
  keepDaily: z.number().int().min(1).optional(),
  keepWeekly: z.number().int().min(1).optional(),
  keepMonthly: z.number().int().min(1).optional(),
  keepYearly: z.number().int().min(1).optional(),
});
export type KeepOptions = z.infer<typeof KeepOptionsSchema>;

export const KEEP_OPTION_KEYS = [
  'keepLast',
  'keepHourly',
  'keepDaily',
  'keepWeekly',
  'keepMonthly',
  'keepYearly',
] as const;

/** Namespace recursion depth relative to a starting namespace (0–7). */
export const MaxDepthSchema = z.number().int().min(0).max(7);
