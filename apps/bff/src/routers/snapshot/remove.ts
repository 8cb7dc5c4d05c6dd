import { z } from 'zod';
import { SnapshotTargetSchema } from '@pbs/api-types';
import { StoreAccess } from '../../services/datastore/content-access.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

export const remove = customAccessProcedure('Datastore.Modify, or Datastore.Prune as owner')
  .input(SnapshotTargetSchema)
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const { port } = await ctx.services.datastores.port(input.store, 'write');
    const access = await StoreAccess.of(ctx.services, ctx.caller, input.store, input.ns);
    const owner = await port.getOwner(input.ns, input.snapshot);
    access.require(['Datastore.Modify'], ['Datastore.Prune'], owner, 'forget snapshot');
    await port.removeSnapshot(input.ns, input.snapshot);
  });
