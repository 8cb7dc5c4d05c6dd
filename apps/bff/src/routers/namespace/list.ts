import { z } from 'zod';
import { NamespaceItemSchema, NamespaceListInputSchema } from '@pbs/api-types';
import { datastoreAclPath } from '../../services/datastore/content-access.js';
import { privilegedProcedure } from '../../trpc/procedures.js';

export const list = privilegedProcedure(NamespaceListInputSchema, {
  privs: ['Datastore.Audit', 'Datastore.Modify', 'Datastore.Backup'],
  any: true,
  path: (input) => datastoreAclPath(input.store, input.parent),
})
  .output(z.array(NamespaceItemSchema))
  .query(async ({ ctx, input }) => {
    const { port } = await ctx.services.datastores.port(input.store, 'lookup');
    return port.listNamespaces(input.parent, input.maxDepth);
  });
