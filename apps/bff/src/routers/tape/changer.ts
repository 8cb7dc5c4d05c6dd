/** Tape changers (PBS /config/changer and /tape/changer/{c}/status, /transfer). */
import {
  AppError,
  ChangerStatusOutputSchema,
  ChangerTransferInputSchema,
  TapeDeviceNameSchema,
  UpdateChangerInputSchema,
  VirtualChangerConfigSchema,
  type ChangerElement,
  type ChangerListItem,
  type VirtualChangerConfig,
} from '@pbs/api-types';
import { z } from 'zod';
import { parseSlots } from '../../services/tape/tape-service.js';
import { t } from '../../trpc/init.js';
import { privilegedProcedure } from '../../trpc/procedures.js';
import { configCrud } from './config-crud.js';

const crud = configCrud<VirtualChangerConfig, ChangerListItem>({
  base: '/tape/device',
  file: (s) => s.tape.changers,
  configSchema: VirtualChangerConfigSchema,
  updateSchema: UpdateChangerInputSchema,
  decorate: (_s, item) => Promise.resolve({ ...item, kind: 'virtual' as const }),
  check: async (services, changer) => {
    if ((await services.tape.drives.find(changer.name)) !== undefined) {
      throw new AppError('ALREADY_EXISTS', `'${changer.name}' is a drive in tape.cfg`);
    }
    const bad = parseSlots(changer.exportSlots).find((s) => s > changer.slots);
    if (bad !== undefined)
      throw new AppError('INVALID_ARGUMENT', `export slot ${bad} is beyond the ${changer.slots} slots`);
  },
});

const changerPath = (input: { name: string }) => `/tape/device/${input.name}`;

const status = privilegedProcedure(z.object({ name: TapeDeviceNameSchema }), {
  privs: ['Tape.Audit'],
  path: changerPath,
})
  .output(ChangerStatusOutputSchema)
  .query(async ({ ctx, input }) => {
    const device = await ctx.services.tape.changerDevice(input.name);
    const s = await device.changer.status();
    const drives = (await ctx.services.tape.drives.read()).items.filter((d) => d.changer === input.name);
    const out: ChangerElement[] = [];
    for (const d of s.drives) {
      const driveName = drives.find((x) => (x.changerDrivenum ?? 0) === d.id)?.name;
      out.push({
        entryKind: 'drive',
        entryId: d.id,
        ...(d.label !== undefined ? { labelText: d.label } : {}),
        ...(d.loadedSlot !== undefined ? { loadedSlot: d.loadedSlot } : {}),
        ...(driveName !== undefined ? { driveName } : {}),
      });
    }
    for (const slot of s.slots) {
      out.push({
        entryKind: slot.kind,
        entryId: slot.id,
        ...(slot.label !== undefined ? { labelText: slot.label } : {}),
      });
    }
    return out;
  });

const transfer = privilegedProcedure(ChangerTransferInputSchema, { privs: ['Tape.Read'], path: changerPath })
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const device = await ctx.services.tape.changerDevice(input.name);
    await device.changer.transfer(input.from, input.to);
    const inventory = await ctx.services.tape.inventory();
    await inventory.updateOnline(device.changerName, await device.changer.onlineMedia());
  });

export const tapeChangerRouter = t.router({ ...crud, status, transfer });
