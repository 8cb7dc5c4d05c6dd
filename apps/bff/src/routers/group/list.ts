import { z } from 'zod';
import { GroupItemSchema, StoreNsSchema } from '@pbs/api-types';
import { StoreAccess } from '../../services/datastore/content-access.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

export const list = customAccessProcedure(
  'Datastore.Audit for every group, or Datastore.Backup for owned groups',
)
  .input(StoreNsSchema)
  .output(z.array(GroupItemSchema))
  .query(async ({ ctx, input }) => {
    const access = await StoreAccess.of(ctx.services, ctx.caller, input.store, input.ns);
    access.require(['Datastore.Audit', 'Datastore.Backup'], [], null, `list groups of '${input.store}'`);
    const { port } = await ctx.services.datastores.port(input.store, 'read');
    const groups = await port.listGroups(input.ns);
    return groups.filter((g) => access.allows(['Datastore.Audit'], ['Datastore.Backup'], g.owner));
  });
