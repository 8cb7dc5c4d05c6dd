import { z } from 'zod';
import { GroupTargetSchema } from '@pbs/api-types';
import { StoreAccess } from '../../services/datastore/content-access.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

export const remove = customAccessProcedure('Datastore.Modify, or Datastore.Prune as owner')
  .input(GroupTargetSchema)
  .output(z.object({ removedSnapshots: z.number(), protectedKept: z.number() }))
  .mutation(async ({ ctx, input }) => {
    const { port } = await ctx.services.datastores.port(input.store, 'write');
    const access = await StoreAccess.of(ctx.services, ctx.caller, input.store, input.ns);
    const owner = await port.getOwner(input.ns, input.group).catch(() => null);
    access.require(
      ['Datastore.Modify'],
      ['Datastore.Prune'],
      owner,
      `remove group '${input.group.type}/${input.group.id}'`,
    );
    return port.removeGroup(input.ns, input.group);
  });
