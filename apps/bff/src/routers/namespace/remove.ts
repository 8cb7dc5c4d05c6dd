import { z } from 'zod';
import { RemoveNamespaceInputSchema } from '@pbs/api-types';
import { datastoreAclPath } from '../../services/datastore/content-access.js';
import { privilegedProcedure } from '../../trpc/procedures.js';

function parentOf(ns: string): string {
  return ns.includes('/') ? ns.slice(0, ns.lastIndexOf('/')) : '';
}

export const remove = privilegedProcedure(RemoveNamespaceInputSchema, {
  privs: ['Datastore.Modify'],
  path: (input) => datastoreAclPath(input.store, parentOf(input.ns)),
})
  .output(
    z.object({
      removedAll: z.boolean(),
      removedGroups: z.number(),
      removedSnapshots: z.number(),
      protectedKept: z.number(),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const { port } = await ctx.services.datastores.port(input.store, 'write');
    return port.removeNamespace(input.ns, { deleteGroups: input.deleteGroups });
  });
