/**
 * Media, media sets and content (PBS /tape/media/…): lists filtered by Tape.Audit on the
 * medium's pool (/tape/pool/<pool>, or /tape/pool for media of no pool); changes need
 * Tape.Modify on /tape.
 */
import { z } from 'zod';
import {
  DestroyMediaInputSchema,
  MediaContentEntrySchema,
  MediaContentInputSchema,
  MediaListEntrySchema,
  MediaListInputSchema,
  MediaSetListEntrySchema,
  MoveMediaInputSchema,
  SetMediaStatusInputSchema,
  privilegeBit,
} from '@pbs/api-types';
import { destroyMedia, listContent, listMedia, listMediaSets, moveMedia, setMediaStatus } from '@pbs/tape';
import type { Services } from '../../services/services.js';
import type { Caller } from '../../trpc/auth-state.js';
import { t } from '../../trpc/init.js';
import { customAccessProcedure, privilegedProcedure } from '../../trpc/procedures.js';

async function canAudit(services: Services, caller: Caller, pool: string | undefined): Promise<boolean> {
  const mask = await services.access.privileges(
    caller.authId,
    pool === undefined ? '/tape/pool' : `/tape/pool/${pool}`,
  );
  return (mask & privilegeBit('Tape.Audit')) !== 0;
}

async function filterByPool<T extends { pool?: string }>(
  services: Services,
  caller: Caller,
  items: T[],
): Promise<T[]> {
  const out: T[] = [];
  for (const item of items) if (await canAudit(services, caller, item.pool)) out.push(item);
  return out;
}

const list = customAccessProcedure('media whose pool grants Tape.Audit')
  .input(MediaListInputSchema)
  .output(z.array(MediaListEntrySchema))
  .query(async ({ ctx, input }) => {
    const { tape } = ctx.services;
    const inventory = await tape.inventory();
    if (input.updateStatus) {
      for (const changer of (await tape.changers.read()).items) {
        const device = await tape.changerDevice(changer.name);
        await inventory.updateOnline(device.changerName, await device.changer.onlineMedia());
      }
    }
    const pools = (await tape.pools.read()).items;
    const now = Math.floor(ctx.services.clock.now() / 1000);
    const items = await listMedia(inventory, tape.stateDir, pools, { pool: input.pool, now });
    return filterByPool(ctx.services, ctx.caller, items);
  });

const content = customAccessProcedure('snapshots on media whose pool grants Tape.Audit')
  .input(MediaContentInputSchema)
  .output(z.array(MediaContentEntrySchema))
  .query(async ({ ctx, input }) => {
    const { tape } = ctx.services;
    const items = await listContent(
      await tape.inventory(),
      tape.stateDir,
      (await tape.pools.read()).items,
      input,
    );
    return filterByPool(ctx.services, ctx.caller, items);
  });

const mediaSets = customAccessProcedure('media sets whose pool grants Tape.Audit')
  .output(z.array(MediaSetListEntrySchema))
  .query(async ({ ctx }) => {
    const { tape } = ctx.services;
    const items = await listMediaSets(await tape.inventory(), (await tape.pools.read()).items);
    return filterByPool(ctx.services, ctx.caller, items);
  });

const move = privilegedProcedure(MoveMediaInputSchema, { privs: ['Tape.Modify'], path: '/tape' })
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    await moveMedia(await ctx.services.tape.inventory(), input);
  });

const destroy = privilegedProcedure(DestroyMediaInputSchema, { privs: ['Tape.Modify'], path: '/tape' })
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const { tape } = ctx.services;
    await destroyMedia({ inventory: await tape.inventory(), stateDir: tape.stateDir }, input);
  });

const setStatus = privilegedProcedure(SetMediaStatusInputSchema, { privs: ['Tape.Modify'], path: '/tape' })
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    await setMediaStatus(await ctx.services.tape.inventory(), input.uuid, input.status);
  });

export const tapeMediaRouter = t.router({ list, content, mediaSets, move, destroy, setStatus });
