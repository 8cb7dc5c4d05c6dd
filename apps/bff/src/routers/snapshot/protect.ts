import { z } from 'zod';
import { SnapshotTargetSchema } from '@pbs/api-types';
import { StoreAccess } from '../../services/datastore/content-access.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

export const setProtected = customAccessProcedure('Datastore.Modify, or Datastore.Backup as owner')
  .input(SnapshotTargetSchema.extend({ protected: z.boolean() }))
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const { port } = await ctx.services.datastores.port(input.store, 'write');
    const access = await StoreAccess.of(ctx.services, ctx.caller, input.store, input.ns);
    const owner = await port.getOwner(input.ns, input.snapshot);
    access.require(['Datastore.Modify'], ['Datastore.Backup'], owner, 'change protection');
    await port.setProtected(input.ns, input.snapshot, input.protected);
  });
