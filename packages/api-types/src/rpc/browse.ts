import { z } from 'zod';
import { EpochSchema } from './common.js';
import { GroupTargetSchema, SnapshotTargetSchema } from './content.js';

/** A path inside a snapshot: '' for its archives, '<archive>/<path inside>' below. */
export const SnapshotPathSchema = z
  .string()
  .max(4096)
  .refine((p) => !p.split('/').includes('..'), "path must not contain '..'");

export const BrowseEntrySchema = z.object({
  path: z.string(),
  name: z.string(),
  /** catalog entry type: d(irectory) f(ile) l(ink) h(ardlink) b(lock) c(har) p(ipe) s(ocket) */
  type: z.enum(['d', 'f', 'l', 'h', 'b', 'c', 'p', 's']),
  size: z.number().optional(),
  mtime: EpochSchema.optional(),
  leaf: z.boolean(),
});
export type BrowseEntry = z.infer<typeof BrowseEntrySchema>;

export const BrowseListInputSchema = SnapshotTargetSchema.extend({ path: SnapshotPathSchema.default('') });

export const FileVersionSchema = z.object({
  time: EpochSchema,
  type: BrowseEntrySchema.shape.type,
  size: z.number().optional(),
  mtime: EpochSchema.optional(),
});
export type FileVersion = z.infer<typeof FileVersionSchema>;

export const FileVersionsInputSchema = GroupTargetSchema.extend({
  /** '<archive>/<path inside>' */
  path: SnapshotPathSchema.refine((p) => p.includes('/'), 'path must name a file inside an archive'),
  /** newest snapshots to look at */
  limit: z.number().int().min(1).max(500).default(50),
});

export const FileVersionsOutputSchema = z.object({
  versions: z.array(FileVersionSchema),
  /** snapshots looked at (newest first); versions lists those holding the path */
  searched: z.number().int(),
});
