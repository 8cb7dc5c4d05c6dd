import { z } from 'zod';
import { NotesInputSchema, SnapshotTargetSchema } from '@pbs/api-types';
import { StoreAccess } from '../../services/datastore/content-access.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

export const notes = customAccessProcedure('Datastore.Audit or Modify, or Backup as owner')
  .input(SnapshotTargetSchema)
  .output(z.object({ notes: z.string() }))
  .query(async ({ ctx, input }) => {
    const { port } = await ctx.services.datastores.port(input.store, 'read');
    const access = await StoreAccess.of(ctx.services, ctx.caller, input.store, input.ns);
    const owner = await port.getOwner(input.ns, input.snapshot);
    access.require(
      ['Datastore.Audit', 'Datastore.Modify'],
      ['Datastore.Backup'],
      owner,
      'read snapshot notes',
    );
    return { notes: await port.getSnapshotNotes(input.ns, input.snapshot) };
  });

export const setNotes = customAccessProcedure('Datastore.Modify, or Backup as owner')
  .input(SnapshotTargetSchema.extend(NotesInputSchema.shape))
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const { port } = await ctx.services.datastores.port(input.store, 'write');
    const access = await StoreAccess.of(ctx.services, ctx.caller, input.store, input.ns);
    const owner = await port.getOwner(input.ns, input.snapshot);
    access.require(['Datastore.Modify'], ['Datastore.Backup'], owner, 'edit snapshot notes');
    await port.setSnapshotNotes(input.ns, input.snapshot, input.notes);
  });
