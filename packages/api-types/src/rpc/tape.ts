/**
 * Tape API (tRPC router `tape`; REST as PBS under /api2/json/tape and /config/{drive,changer,
 * media-pool,tape-backup-job}). Config entries are camelCase here, kebab-case on disk. Every
 * operation that touches a drive or a changer returns a worker task (`{ taskId }`).
 */
import { z } from 'zod';
import { CommentSchema, AuthIdSchema } from '../domain/names.js';
import { DatastoreNameSchema, MaxDepthSchema } from '../domain/datastore.js';
import {
  MediaLabelSchema,
  MediaLocationSchema,
  MediaPoolNameSchema,
  MediaRetentionSchema,
  MediaSetAllocationSchema,
  MediaStatusSchema,
  TapeDeviceNameSchema,
  TapeRestoreSnapshotSchema,
  TapeUuidSchema,
} from '../domain/tape.js';
import { DigestSchema, EpochSchema } from './common.js';
import { NamespaceSchema, BackupTypeSchema, BackupIdSchema } from './content.js';
import { ScheduleSchema } from './datastore.js';
import { JobStatusSchema } from './datastore-status.js';
import { JobIdSchema } from './jobs.js';
import { FingerprintSchema } from './s3.js';

const DeleteListSchema = <T extends readonly [string, ...string[]]>(keys: T) =>
  z.array(z.enum(keys)).optional();

// ---------------------------------------------------------------- tape.cfg: drives and changers

/**
 * tape.cfg section `virtual` (PBS's virtual drive: name, path, max-size) with our extension: a
 * virtual drive may sit in a virtual changer (`changer`, `changerDrivenum`); it then shares the
 * changer's directory (its tapes), and `path` is ignored.
 */
export const VirtualDriveConfigSchema = z.object({
  name: TapeDeviceNameSchema,
  /** directory of the virtual tapes (a standalone drive is its own changer, as in PBS) */
  path: z.string().min(1).max(4096),
  /** capacity of each tape in bytes (PBS default 64 MiB) */
  maxSize: z
    .number()
    .int()
    .min(2 * 256 * 1024)
    .optional(),
  changer: TapeDeviceNameSchema.optional(),
  changerDrivenum: z.number().int().min(0).max(255).optional(),
  comment: CommentSchema.optional(),
});
export type VirtualDriveConfig = z.infer<typeof VirtualDriveConfigSchema>;

/**
 * tape.cfg section `virtual-changer` (our extension; PBS's `changer` is a SCSI device): a tape
 * library in a directory with `slots` storage slots, of which `exportSlots` are import/export
 * (mail) slots.
 */
export const VirtualChangerConfigSchema = z.object({
  name: TapeDeviceNameSchema,
  path: z.string().min(1).max(4096),
  slots: z.number().int().min(1).max(1024),
  /** import/export slots as PBS writes them: a comma-separated list of slot numbers ('7,8') */
  exportSlots: z
    .string()
    .regex(/^\d+(,\d+)*$/, "export slots are slot numbers separated by commas, like '7,8'")
    .optional(),
  /** capacity of each tape in bytes (default 64 MiB) */
  maxSize: z
    .number()
    .int()
    .min(2 * 256 * 1024)
    .optional(),
  comment: CommentSchema.optional(),
});
export type VirtualChangerConfig = z.infer<typeof VirtualChangerConfigSchema>;

export const DriveListItemSchema = VirtualDriveConfigSchema.extend({
  kind: z.literal('virtual'),
  /** label of the loaded tape, null when empty; undefined when the state could not be read */
  loaded: z.string().nullable().optional(),
  /** next file number of the loaded tape */
  position: z.number().int().nullable().optional(),
});
export type DriveListItem = z.infer<typeof DriveListItemSchema>;

export const ChangerListItemSchema = VirtualChangerConfigSchema.extend({ kind: z.literal('virtual') });
export type ChangerListItem = z.infer<typeof ChangerListItemSchema>;

export const DriveListOutputSchema = z.object({ digest: DigestSchema, items: z.array(DriveListItemSchema) });
export const ChangerListOutputSchema = z.object({
  digest: DigestSchema,
  items: z.array(ChangerListItemSchema),
});

export const DeviceRefSchema = z.object({ name: TapeDeviceNameSchema, digest: DigestSchema.optional() });
export const UpdateDriveInputSchema = VirtualDriveConfigSchema.partial()
  .required({ name: true })
  .extend({
    delete: DeleteListSchema(['maxSize', 'changer', 'changerDrivenum', 'comment'] as const),
    digest: DigestSchema.optional(),
  });
export const UpdateChangerInputSchema = VirtualChangerConfigSchema.partial()
  .required({ name: true })
  .extend({
    delete: DeleteListSchema(['exportSlots', 'maxSize', 'comment'] as const),
    digest: DigestSchema.optional(),
  });

/** PBS MtxStatus flattened (api2/tape/changer status): drives, slots and mail slots. */
export const ChangerElementSchema = z.object({
  entryKind: z.enum(['drive', 'slot', 'import-export']),
  /** drive number (0-based) or slot number (1-based) */
  entryId: z.number().int(),
  labelText: MediaLabelSchema.optional(),
  /** for drives: the slot the loaded tape came from */
  loadedSlot: z.number().int().optional(),
  /** the drive's name in tape.cfg, for drives */
  driveName: TapeDeviceNameSchema.optional(),
});
export type ChangerElement = z.infer<typeof ChangerElementSchema>;
export const ChangerStatusOutputSchema = z.array(ChangerElementSchema);

export const ChangerTransferInputSchema = z.object({
  name: TapeDeviceNameSchema,
  from: z.number().int().min(1),
  to: z.number().int().min(1),
});

export const DriveStatusSchema = z.object({
  name: TapeDeviceNameSchema,
  loaded: MediaLabelSchema.nullable(),
  /** next file number (0 after rewind) */
  fileNumber: z.number().int().nullable(),
  /** files on the loaded tape */
  files: z.number().int().nullable(),
  bytesUsed: z.number().int().nullable(),
  capacity: z.number().int(),
  writeProtect: z.boolean(),
});
export type DriveStatus = z.infer<typeof DriveStatusSchema>;

export const DriveRefSchema = z.object({ drive: TapeDeviceNameSchema });
export const LoadSlotInputSchema = DriveRefSchema.extend({ sourceSlot: z.number().int().min(1) });
export const LoadMediaInputSchema = DriveRefSchema.extend({ labelText: MediaLabelSchema });
export const UnloadInputSchema = DriveRefSchema.extend({ targetSlot: z.number().int().min(1).optional() });
export const LabelMediaInputSchema = DriveRefSchema.extend({
  labelText: MediaLabelSchema,
  pool: MediaPoolNameSchema.optional(),
});
export const BarcodeLabelInputSchema = DriveRefSchema.extend({ pool: MediaPoolNameSchema.optional() });
export const FormatMediaInputSchema = DriveRefSchema.extend({
  /** the label of the medium expected in the drive (refuses another) */
  labelText: MediaLabelSchema.optional(),
  fast: z.boolean().optional(),
});
export const UpdateInventoryInputSchema = DriveRefSchema.extend({
  /** read the labels of every tape, not only of those not yet in the inventory */
  readAllLabels: z.boolean().optional(),
  /** restore the media catalogs of tapes whose catalog is missing */
  catalog: z.boolean().optional(),
});
export const CatalogMediaInputSchema = DriveRefSchema.extend({
  /** rebuild even when a catalog exists */
  force: z.boolean().optional(),
  /** only scan the tape and log what is on it */
  scan: z.boolean().optional(),
});

/** the labels on a medium (PBS MediaIdFlat) */
export const MediaIdFlatSchema = z.object({
  uuid: TapeUuidSchema,
  labelText: MediaLabelSchema,
  ctime: EpochSchema,
  pool: MediaPoolNameSchema.optional(),
  mediaSetUuid: TapeUuidSchema.optional(),
  seqNr: z.number().int().optional(),
  mediaSetCtime: EpochSchema.optional(),
  encryptionKeyFingerprint: FingerprintSchema.optional(),
});
export type MediaIdFlat = z.infer<typeof MediaIdFlatSchema>;

/** tape.drive.inventory (GET): what the changer holds, with the inventory's UUIDs */
export const LabelUuidSchema = z.object({ labelText: MediaLabelSchema, uuid: TapeUuidSchema.optional() });
export type LabelUuid = z.infer<typeof LabelUuidSchema>;

// ---------------------------------------------------------------- media-pool.cfg

export const MediaPoolConfigSchema = z.object({
  name: MediaPoolNameSchema,
  allocation: MediaSetAllocationSchema.optional(),
  retention: MediaRetentionSchema.optional(),
  /** media set name template: strftime and %id% (default '%c') */
  template: z.string().min(2).max(64).optional(),
  /** tape encryption key fingerprint */
  encrypt: FingerprintSchema.optional(),
  comment: CommentSchema.optional(),
});
export type MediaPoolConfig = z.infer<typeof MediaPoolConfigSchema>;
export const MediaPoolListOutputSchema = z.object({
  digest: DigestSchema,
  items: z.array(MediaPoolConfigSchema),
});
export const PoolRefSchema = z.object({ name: MediaPoolNameSchema, digest: DigestSchema.optional() });
export const UpdateMediaPoolInputSchema = MediaPoolConfigSchema.partial()
  .required({ name: true })
  .extend({
    delete: DeleteListSchema(['allocation', 'retention', 'template', 'encrypt', 'comment'] as const),
    digest: DigestSchema.optional(),
  });

// ---------------------------------------------------------------- media, inventory, content

/** PBS MediaListEntry */
export const MediaListEntrySchema = z.object({
  labelText: MediaLabelSchema,
  uuid: TapeUuidSchema,
  ctime: EpochSchema,
  location: MediaLocationSchema,
  status: MediaStatusSchema,
  expired: z.boolean(),
  /** a media catalog exists on the server */
  catalog: z.boolean(),
  mediaSetName: z.string().optional(),
  mediaSetUuid: TapeUuidSchema.optional(),
  seqNr: z.number().int().optional(),
  mediaSetCtime: EpochSchema.optional(),
  pool: MediaPoolNameSchema.optional(),
  bytesUsed: z.number().int().optional(),
  /** expiry time of the medium (epoch), absent when it never expires */
  expireTime: EpochSchema.optional(),
});
export type MediaListEntry = z.infer<typeof MediaListEntrySchema>;
export const MediaListInputSchema = z.object({
  pool: MediaPoolNameSchema.optional(),
  /** refresh online locations from the changers first */
  updateStatus: z.boolean().optional(),
});

/** PBS MediaSetListEntry */
export const MediaSetListEntrySchema = z.object({
  mediaSetName: z.string(),
  mediaSetUuid: TapeUuidSchema,
  mediaSetCtime: EpochSchema,
  pool: MediaPoolNameSchema,
  /** labels of the set's media in sequence order (null: unknown member) */
  media: z.array(MediaLabelSchema.nullable()),
});
export type MediaSetListEntry = z.infer<typeof MediaSetListEntrySchema>;

export const MediaContentInputSchema = z.object({
  pool: MediaPoolNameSchema.optional(),
  labelText: MediaLabelSchema.optional(),
  media: TapeUuidSchema.optional(),
  mediaSet: TapeUuidSchema.optional(),
  backupType: BackupTypeSchema.optional(),
  backupId: BackupIdSchema.optional(),
});
/** PBS MediaContentEntry: one snapshot archive on one medium */
export const MediaContentEntrySchema = z.object({
  labelText: MediaLabelSchema,
  uuid: TapeUuidSchema,
  mediaSetName: z.string(),
  mediaSetUuid: TapeUuidSchema,
  mediaSetCtime: EpochSchema,
  seqNr: z.number().int(),
  pool: MediaPoolNameSchema,
  store: DatastoreNameSchema,
  /** '[ns/a/ns/b/]type/id/time' */
  snapshot: z.string(),
  backupTime: EpochSchema,
});
export type MediaContentEntry = z.infer<typeof MediaContentEntrySchema>;

export const MediaRefSchema = z
  .object({ labelText: MediaLabelSchema.optional(), uuid: TapeUuidSchema.optional() })
  .refine((v) => v.labelText !== undefined || v.uuid !== undefined, 'give labelText or uuid');
export const MoveMediaInputSchema = z
  .object({
    labelText: MediaLabelSchema.optional(),
    uuid: TapeUuidSchema.optional(),
    /** omitted: offline */
    vaultName: z
      .string()
      .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/)
      .max(32)
      .optional(),
  })
  .refine((v) => v.labelText !== undefined || v.uuid !== undefined, 'give labelText or uuid');
export const DestroyMediaInputSchema = z
  .object({
    labelText: MediaLabelSchema.optional(),
    uuid: TapeUuidSchema.optional(),
    /** destroy even when the medium belongs to a media set */
    force: z.boolean().optional(),
  })
  .refine((v) => v.labelText !== undefined || v.uuid !== undefined, 'give labelText or uuid');
export const SetMediaStatusInputSchema = z.object({
  uuid: TapeUuidSchema,
  /** omitted: clear (computed from the pool) */
  status: z.enum(['full', 'damaged', 'retired']).optional(),
});

// ---------------------------------------------------------------- tape-job.cfg, backup, restore

const TapeBackupFieldsSchema = z.object({
  store: DatastoreNameSchema,
  pool: MediaPoolNameSchema,
  drive: TapeDeviceNameSchema,
  ns: NamespaceSchema.optional(),
  maxDepth: MaxDepthSchema.optional(),
  /** sync.cfg grammar: '[include:|exclude:]type:vm', 'group:vm/100', 'regex:…' */
  groupFilter: z.array(z.string().min(1).max(256)).optional(),
  latestOnly: z.boolean().optional(),
  ejectMedia: z.boolean().optional(),
  exportMediaSet: z.boolean().optional(),
  notifyUser: AuthIdSchema.optional(),
  notificationMode: z.enum(['legacy-sendmail', 'notification-system']).optional(),
  workerThreads: z.number().int().min(1).max(32).optional(),
});

/** tape-job.cfg section `backup` */
export const TapeBackupJobConfigSchema = TapeBackupFieldsSchema.extend({
  id: JobIdSchema,
  schedule: ScheduleSchema.optional(),
  comment: CommentSchema.optional(),
});
export type TapeBackupJobConfig = z.infer<typeof TapeBackupJobConfigSchema>;
export const TapeBackupJobSchema = TapeBackupJobConfigSchema.extend({
  status: JobStatusSchema,
  /** label of the medium the next run would write to, when known */
  nextMedia: z.string().optional(),
});
export type TapeBackupJob = z.infer<typeof TapeBackupJobSchema>;
export const TapeBackupJobListOutputSchema = z.object({
  digest: DigestSchema,
  items: z.array(TapeBackupJobSchema),
});
export const UpdateTapeBackupJobInputSchema = TapeBackupJobConfigSchema.partial()
  .required({ id: true })
  .extend({
    delete: DeleteListSchema([
      'ns',
      'maxDepth',
      'groupFilter',
      'latestOnly',
      'ejectMedia',
      'exportMediaSet',
      'notifyUser',
      'notificationMode',
      'workerThreads',
      'schedule',
      'comment',
    ] as const),
    digest: DigestSchema.optional(),
  });

/** POST /tape/backup: a one-shot backup with the job fields */
export const TapeBackupInputSchema = TapeBackupFieldsSchema.extend({
  /** start a new media set whatever the allocation policy says */
  forceMediaSet: z.boolean().optional(),
});
export type TapeBackupInput = z.infer<typeof TapeBackupInputSchema>;

/** one namespace mapping of a restore (PBS `store=…,source=…,target=…,max-depth=…`) */
export const TapeRestoreNamespaceSchema = z.object({
  store: DatastoreNameSchema,
  source: NamespaceSchema.default(''),
  target: NamespaceSchema.default(''),
  maxDepth: MaxDepthSchema.optional(),
});

export const TapeRestoreInputSchema = z.object({
  drive: TapeDeviceNameSchema,
  mediaSet: TapeUuidSchema,
  /** 'target' (all sources) or a list 'source=target' */
  store: z.string().min(3).max(1024),
  namespaces: z.array(TapeRestoreNamespaceSchema).optional(),
  /** restore only these snapshots: 'store:[ns/x/]type/id/time' */
  snapshots: z.array(TapeRestoreSnapshotSchema).optional(),
  owner: AuthIdSchema.optional(),
  notifyUser: AuthIdSchema.optional(),
  notificationMode: z.enum(['legacy-sendmail', 'notification-system']).optional(),
});
export type TapeRestoreInput = z.infer<typeof TapeRestoreInputSchema>;

// ---------------------------------------------------------------- tape encryption keys

/** a tape encryption key as listed (the key itself never leaves the server) */
export const TapeKeyInfoSchema = z.object({
  fingerprint: FingerprintSchema,
  hint: z.string().optional(),
  created: EpochSchema,
});
export type TapeKeyInfo = z.infer<typeof TapeKeyInfoSchema>;

export const TapeKeyPasswordSchema = z.string().min(5, 'the password needs at least 5 characters').max(1024);

export const CreateTapeKeyInputSchema = z.object({
  password: TapeKeyPasswordSchema,
  hint: z.string().max(256).optional(),
});

/** restore a key from its key config (paper key JSON) and password */
export const RestoreTapeKeyInputSchema = z.object({
  keyConfig: z
    .string()
    .min(2)
    .max(64 * 1024),
  password: TapeKeyPasswordSchema,
});

export const TapeKeyRefSchema = z.object({ fingerprint: FingerprintSchema });
/** the key config (password-wrapped key) to print or save as a paper key */
export const TapeKeyConfigOutputSchema = z.object({ fingerprint: FingerprintSchema, keyConfig: z.string() });
