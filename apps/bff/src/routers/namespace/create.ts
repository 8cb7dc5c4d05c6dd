import { z } from 'zod';
import { CreateNamespaceInputSchema } from '@pbs/api-types';
import { datastoreAclPath } from '../../services/datastore/content-access.js';
import { privilegedProcedure } from '../../trpc/procedures.js';

export const create = privilegedProcedure(CreateNamespaceInputSchema, {
  privs: ['Datastore.Modify'],
  path: (input) => datastoreAclPath(input.store, input.parent),
})
  .output(z.object({ ns: z.string() }))
  .mutation(async ({ ctx, input }) => {
    const { port } = await ctx.services.datastores.port(input.store, 'write');
    return { ns: await port.createNamespace(input.parent, input.name) };
  });
