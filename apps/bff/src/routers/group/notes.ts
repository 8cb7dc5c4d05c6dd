import { z } from 'zod';
import { GroupTargetSchema, NotesInputSchema } from '@pbs/api-types';
import { StoreAccess } from '../../services/datastore/content-access.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

export const notes = customAccessProcedure('Datastore.Audit or Modify, or Backup as owner')
  .input(GroupTargetSchema)
  .output(z.object({ notes: z.string() }))
  .query(async ({ ctx, input }) => {
    const { port } = await ctx.services.datastores.port(input.store, 'read');
    const access = await StoreAccess.of(ctx.services, ctx.caller, input.store, input.ns);
    const owner = await port.getOwner(input.ns, input.group);
    access.require(['Datastore.Audit', 'Datastore.Modify'], ['Datastore.Backup'], owner, 'read group notes');
    return { notes: await port.getGroupNotes(input.ns, input.group) };
  });

export const setNotes = customAccessProcedure('Datastore.Modify, or Backup as owner')
  .input(GroupTargetSchema.extend(NotesInputSchema.shape))
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const { port } = await ctx.services.datastores.port(input.store, 'write');
    const access = await StoreAccess.of(ctx.services, ctx.caller, input.store, input.ns);
    const owner = await port.getOwner(input.ns, input.group);
    access.require(['Datastore.Modify'], ['Datastore.Backup'], owner, 'edit group notes');
    await port.setGroupNotes(input.ns, input.group, input.notes);
  });
