import { z } from 'zod';
import {
  BACKUP_ID_REGEX,
  BACKUP_NAMESPACE_REGEX,
  BACKUP_TYPES,
  MAX_BACKUP_NAMESPACE_LENGTH,
} from '../domain/backup.js';
import { AuthIdSchema, SAFE_ID_REGEX } from '../domain/names.js';
import { DatastoreNameSchema, KeepOptionsSchema, MaxDepthSchema } from '../domain/datastore.js';
import { EpochSchema } from './common.js';

/** '' = root namespace; up to 7 '/'-separated SAFE_ID components, 256 characters (pbs §14) */
export const NamespaceSchema = z
  .string()
  .max(MAX_BACKUP_NAMESPACE_LENGTH, `namespace must be at most ${MAX_BACKUP_NAMESPACE_LENGTH} characters`)
  .regex(BACKUP_NAMESPACE_REGEX, "namespace must be up to 7 names joined by '/', e.g. 'dept/team'");

export const BackupTypeSchema = z.enum(BACKUP_TYPES);
export type BackupTypeName = z.infer<typeof BackupTypeSchema>;
export const BackupIdSchema = z.string().min(1).max(255).regex(BACKUP_ID_REGEX, 'not a valid backup id');

export const GroupRefSchema = z.object({ type: BackupTypeSchema, id: BackupIdSchema });
export type GroupRef = z.infer<typeof GroupRefSchema>;
export const SnapshotRefSchema = GroupRefSchema.extend({ time: z.number().int().min(1) });
export type SnapshotRef = z.infer<typeof SnapshotRefSchema>;

export const StoreNsSchema = z.object({ store: DatastoreNameSchema, ns: NamespaceSchema.default('') });
export const GroupTargetSchema = StoreNsSchema.extend({ group: GroupRefSchema });
export const SnapshotTargetSchema = StoreNsSchema.extend({ snapshot: SnapshotRefSchema });
export type SnapshotTarget = z.input<typeof SnapshotTargetSchema>;

export const NamespaceItemSchema = z.object({ ns: NamespaceSchema, comment: z.string().optional() });
export const NamespaceListInputSchema = z.object({
  store: DatastoreNameSchema,
  parent: NamespaceSchema.default(''),
  maxDepth: MaxDepthSchema.optional(),
});

export const CryptModeSchema = z.enum(['none', 'encrypt', 'sign-only', 'mixed']);

export const ArchiveInfoSchema = z.object({
  filename: z.string(),
  size: z.number().nullable(),
  cryptMode: CryptModeSchema.optional(),
});

export const VerifyStateSchema = z.object({ state: z.enum(['ok', 'failed']), upid: z.string() });

export const GroupItemSchema = z.object({
  type: BackupTypeSchema,
  id: z.string(),
  lastBackup: EpochSchema.nullable(),
  backupCount: z.number().int(),
  files: z.array(z.string()),
  owner: AuthIdSchema.nullable(),
  comment: z.string().optional(),
});
export type GroupItem = z.infer<typeof GroupItemSchema>;

export const SnapshotItemSchema = z.object({
  type: BackupTypeSchema,
  id: z.string(),
  time: EpochSchema,
  comment: z.string().optional(),
  verification: VerifyStateSchema.optional(),
  fingerprint: z.string().optional(),
  files: z.array(ArchiveInfoSchema),
  /** null while the snapshot is unfinished (no manifest yet) */
  size: z.number().nullable(),
  owner: AuthIdSchema.nullable(),
  protected: z.boolean(),
  cryptMode: CryptModeSchema,
});
export type SnapshotItem = z.infer<typeof SnapshotItemSchema>;

export const SnapshotListInputSchema = StoreNsSchema.extend({
  group: GroupRefSchema.optional(),
  start: z.number().int().nonnegative().default(0),
  limit: z.number().int().min(1).max(10_000).default(200),
  /** matches group, id, owner, comment or date text */
  search: z.string().max(128).optional(),
  /** only the snapshot with this backup time (deep links) */
  time: z.number().int().min(1).optional(),
});
export const SnapshotListOutputSchema = z.object({
  total: z.number().int(),
  items: z.array(SnapshotItemSchema),
});
export type SnapshotListOutput = z.infer<typeof SnapshotListOutputSchema>;

export const NotesInputSchema = z.object({ notes: z.string().max(64 * 1024) });

export const ChangeOwnerInputSchema = GroupTargetSchema.extend({ newOwner: AuthIdSchema });
/** merge-group as PBS: join an existing group of the same owner whose snapshots are all older */
export const MoveGroupInputSchema = GroupTargetSchema.extend({
  targetNs: NamespaceSchema,
  mergeGroup: z.boolean().default(true),
});
export const CreateNamespaceInputSchema = z.object({
  store: DatastoreNameSchema,
  parent: NamespaceSchema.default(''),
  name: z
    .string()
    .min(1)
    .max(128)
    .regex(SAFE_ID_REGEX, "namespace name may contain letters, digits, '_', '.', '-'"),
});
export const RemoveNamespaceInputSchema = StoreNsSchema.extend({ deleteGroups: z.boolean().default(false) });
export const MoveNamespaceInputSchema = StoreNsSchema.extend({
  targetNs: NamespaceSchema,
  /** levels below `ns` that move along (default: all) */
  maxDepth: z.number().int().min(0).max(7).optional(),
  deleteSource: z.boolean().default(true),
  mergeGroups: z.boolean().default(true),
});

export const PruneMarkSchema = z.object({
  type: BackupTypeSchema,
  id: z.string(),
  time: EpochSchema,
  keep: z.boolean(),
  mark: z.enum(['keep', 'remove', 'protected', 'keep-partial']),
  reason: z.string(),
});
export type PruneMarkItem = z.infer<typeof PruneMarkSchema>;

export const PrunePreviewInputSchema = GroupTargetSchema.extend(KeepOptionsSchema.shape);
export const PruneRunInputSchema = StoreNsSchema.extend({
  /** one group, or every group of the namespace (and below, to maxDepth) */
  group: GroupRefSchema.optional(),
  maxDepth: MaxDepthSchema.optional(),
  ...KeepOptionsSchema.shape,
  /** only log what would be removed (PBS prune-datastore dry-run) */
  dryRun: z.boolean().default(false),
});
export type PruneRunInput = z.input<typeof PruneRunInputSchema>;

export const VerifyRunInputSchema = StoreNsSchema.extend({
  group: GroupRefSchema.optional(),
  snapshot: SnapshotRefSchema.optional(),
  maxDepth: MaxDepthSchema.optional(),
  ignoreVerified: z.boolean().default(false),
  outdatedAfter: z.number().int().min(0).optional(),
});
export type VerifyRunInput = z.input<typeof VerifyRunInputSchema>;
