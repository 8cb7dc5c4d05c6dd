/**
 * Tape drives (PBS /config/drive and /tape/drive/{d}/…): config CRUD, status, and the drive
 * operations, each a worker task named as in PBS.
 */
import { z } from 'zod';
import {
  AppError,
  BarcodeLabelInputSchema,
  CatalogMediaInputSchema,
  DriveRefSchema,
  DriveStatusSchema,
  FormatMediaInputSchema,
  LabelMediaInputSchema,
  LabelUuidSchema,
  LoadMediaInputSchema,
  LoadSlotInputSchema,
  MediaIdFlatSchema,
  TaskIdOutputSchema,
  UnloadInputSchema,
  UpdateDriveInputSchema,
  UpdateInventoryInputSchema,
  VirtualDriveConfigSchema,
  type DriveListItem,
  type MediaIdFlat,
  type VirtualDriveConfig,
} from '@pbs/api-types';
import {
  barcodeLabelMedia,
  ejectMedia,
  formatMedia,
  labelMedia,
  readLabel,
  readCurrentTape,
  restoreCatalog,
  scanTapeCatalog,
  updateInventory,
  type MediaEnv,
  type MediaId,
} from '@pbs/tape';
import type { Services } from '../../services/services.js';
import { t } from '../../trpc/init.js';
import { privilegedProcedure } from '../../trpc/procedures.js';
import { configCrud } from './config-crud.js';

const devicePath = (input: { drive: string }) => `/tape/device/${input.drive}`;

async function env(services: Services, drive: string): Promise<MediaEnv> {
  return {
    device: await services.tape.device(drive),
    inventory: await services.tape.inventory(),
    stateDir: services.tape.stateDir,
  };
}

export function flatMediaId(id: MediaId): MediaIdFlat {
  const set = id.media_set_label;
  return {
    uuid: id.label.uuid,
    labelText: id.label.label_text,
    ctime: id.label.ctime,
    ...((set?.pool ?? id.label.pool) ? { pool: set?.pool ?? id.label.pool } : {}),
    ...(set ? { mediaSetUuid: set.uuid, seqNr: set.seq_nr, mediaSetCtime: set.ctime } : {}),
    ...(set?.encryption_key_fingerprint ? { encryptionKeyFingerprint: set.encryption_key_fingerprint } : {}),
  };
}

async function decorate(services: Services, drive: VirtualDriveConfig): Promise<DriveListItem> {
  try {
    const device = await services.tape.device(drive.name);
    const dir =
      drive.changer === undefined ? drive.path : (await services.tape.changers.get(drive.changer)).item.path;
    const tape = await readCurrentTape(dir, device.drivenum);
    return { ...drive, kind: 'virtual', loaded: tape?.name ?? null, position: tape?.pos ?? null };
  } catch {
    return { ...drive, kind: 'virtual' };
  }
}

const crud = configCrud<VirtualDriveConfig, DriveListItem>({
  base: '/tape/device',
  file: (s) => s.tape.drives,
  configSchema: VirtualDriveConfigSchema,
  updateSchema: UpdateDriveInputSchema,
  decorate,
  check: async (services, drive) => {
    if ((await services.tape.changers.find(drive.name)) !== undefined) {
      throw new AppError('ALREADY_EXISTS', `'${drive.name}' is a changer in tape.cfg`);
    }
    if (drive.changer !== undefined) await services.tape.changers.get(drive.changer);
  },
});

const task = <S extends z.ZodType<{ drive: string }>>(schema: S, priv: 'Tape.Read' | 'Tape.Write') =>
  privilegedProcedure(schema, { privs: [priv], path: devicePath }).output(TaskIdOutputSchema);

const status = privilegedProcedure(DriveRefSchema, { privs: ['Tape.Audit'], path: devicePath })
  .output(DriveStatusSchema)
  .query(async ({ ctx, input }) => {
    // without the drive lock: the status stays readable while a task holds the drive
    const s = await (await ctx.services.tape.device(input.drive)).peekStatus();
    return {
      name: input.drive,
      loaded: s.loaded,
      fileNumber: s.fileNumber,
      files: s.files,
      bytesUsed: s.bytesUsed,
      capacity: s.capacity,
      writeProtect: s.writeProtect,
    };
  });

const loadSlot = task(LoadSlotInputSchema, 'Tape.Read').mutation(async ({ ctx, input }) => {
  const device = await ctx.services.tape.device(input.drive);
  const taskId = await ctx.services.tape.spawn('load-media', input.drive, ctx.caller.authId, async (tctx) => {
    await device.changer.loadSlot(input.sourceSlot, device.drivenum);
    tctx.log(`loaded slot ${input.sourceSlot} into drive '${input.drive}'`);
  });
  return { taskId };
});

const loadMedia = task(LoadMediaInputSchema, 'Tape.Read').mutation(async ({ ctx, input }) => {
  const device = await ctx.services.tape.device(input.drive);
  const taskId = await ctx.services.tape.spawn(
    'load-media',
    `${input.drive}:${input.labelText}`,
    ctx.caller.authId,
    async (tctx) => {
      await device.changer.loadMedia(input.labelText, device.drivenum);
      tctx.log(`loaded media '${input.labelText}' into drive '${input.drive}'`);
    },
  );
  return { taskId };
});

const unload = task(UnloadInputSchema, 'Tape.Read').mutation(async ({ ctx, input }) => {
  const device = await ctx.services.tape.device(input.drive);
  const taskId = await ctx.services.tape.spawn(
    'unload-media',
    input.drive,
    ctx.caller.authId,
    async (tctx) => {
      await device.changer.unload(device.drivenum, input.targetSlot);
      tctx.log(`unloaded drive '${input.drive}'`);
    },
  );
  return { taskId };
});

const eject = task(DriveRefSchema, 'Tape.Read').mutation(async ({ ctx, input }) => {
  const e = await env(ctx.services, input.drive);
  const taskId = await ctx.services.tape.spawn(
    'eject-media',
    input.drive,
    ctx.caller.authId,
    async (tctx) => {
      await ejectMedia(e);
      tctx.log(`ejected the media of drive '${input.drive}'`);
    },
  );
  return { taskId };
});

const label = task(LabelMediaInputSchema, 'Tape.Write').mutation(async ({ ctx, input }) => {
  if (input.pool !== undefined) await ctx.services.tape.pool(input.pool);
  const e = await env(ctx.services, input.drive);
  const taskId = await ctx.services.tape.spawn(
    'label-media',
    input.drive,
    ctx.caller.authId,
    async (tctx) => {
      await labelMedia(tctx, e, { labelText: input.labelText, pool: input.pool });
    },
  );
  return { taskId };
});

const barcodeLabel = task(BarcodeLabelInputSchema, 'Tape.Write').mutation(async ({ ctx, input }) => {
  if (input.pool !== undefined) await ctx.services.tape.pool(input.pool);
  const e = await env(ctx.services, input.drive);
  const taskId = await ctx.services.tape.spawn(
    'barcode-label-media',
    input.drive,
    ctx.caller.authId,
    async (tctx) => {
      const labeled = await barcodeLabelMedia(tctx, e, { pool: input.pool });
      tctx.log(`labeled ${labeled.length} media: ${labeled.join(', ')}`);
    },
  );
  return { taskId };
});

const format = task(FormatMediaInputSchema, 'Tape.Write').mutation(async ({ ctx, input }) => {
  const e = await env(ctx.services, input.drive);
  const taskId = await ctx.services.tape.spawn('format-media', input.drive, ctx.caller.authId, (tctx) =>
    formatMedia(tctx, e, { labelText: input.labelText }),
  );
  return { taskId };
});

const readLabelProc = privilegedProcedure(DriveRefSchema.extend({ inventorize: z.boolean().optional() }), {
  privs: ['Tape.Read'],
  path: devicePath,
})
  .output(MediaIdFlatSchema.nullable())
  .mutation(async ({ ctx, input }) => {
    const id = await readLabel(await env(ctx.services, input.drive), { updateInventory: input.inventorize });
    return id ? flatMediaId(id) : null;
  });

/** GET inventory: the changer's cartridges with the inventory's UUIDs (no tape is read) */
const inventory = privilegedProcedure(DriveRefSchema, { privs: ['Tape.Audit'], path: devicePath })
  .output(z.array(LabelUuidSchema))
  .query(async ({ ctx, input }) => {
    const e = await env(ctx.services, input.drive);
    const online = await e.device.changer.onlineMedia();
    return online.sort().map((labelText) => {
      const uuid = e.inventory.findByLabel(labelText)?.id.label.uuid;
      return { labelText, ...(uuid !== undefined ? { uuid } : {}) };
    });
  });

const updateInventoryProc = task(UpdateInventoryInputSchema, 'Tape.Read').mutation(async ({ ctx, input }) => {
  const e = await env(ctx.services, input.drive);
  const taskId = await ctx.services.tape.spawn(
    'inventory-update',
    input.drive,
    ctx.caller.authId,
    async (tctx) => {
      await updateInventory(tctx, e, { readAllLabels: input.readAllLabels, catalog: input.catalog });
    },
  );
  return { taskId };
});

const catalog = task(CatalogMediaInputSchema, 'Tape.Read').mutation(async ({ ctx, input }) => {
  const e = await env(ctx.services, input.drive);
  const taskId = await ctx.services.tape.spawn(
    'catalog-media',
    input.drive,
    ctx.caller.authId,
    async (tctx) => {
      if (input.scan) {
        const drive = await e.device.openDrive();
        try {
          await scanTapeCatalog(tctx, drive, `tape in drive '${input.drive}'`, ctx.services.tape.keyLookup);
        } finally {
          drive.close();
        }
        return;
      }
      await restoreCatalog(tctx, { ...e, encryptionKeys: ctx.services.tape.keyLookup });
    },
  );
  return { taskId };
});

export const tapeDriveRouter = t.router({
  ...crud,
  status,
  loadSlot,
  loadMedia,
  unload,
  eject,
  label,
  barcodeLabel,
  format,
  readLabel: readLabelProc,
  inventory,
  updateInventory: updateInventoryProc,
  catalog,
});
