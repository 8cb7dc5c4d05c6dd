import { z } from 'zod';
import { AppError, ChangeOwnerInputSchema } from '@pbs/api-types';
import { datastoreAclPath } from '../../services/datastore/content-access.js';
import { privilegedProcedure } from '../../trpc/procedures.js';

export const changeOwner = privilegedProcedure(ChangeOwnerInputSchema, {
  privs: ['Datastore.Modify'],
  path: (input) => datastoreAclPath(input.store, input.ns),
})
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const known = await ctx.services.access.listUsers();
    const exists = known.items.some(
      (u) => u.userid === input.newOwner || u.tokens.some((tk) => tk.tokenid === input.newOwner),
    );
    if (!exists) {
      throw new AppError('INVALID_ARGUMENT', `new owner '${input.newOwner}' is not a known user or token`, {
        details: { field: 'newOwner' },
      });
    }
    const { port } = await ctx.services.datastores.port(input.store, 'write');
    await port.setOwner(input.ns, input.group, input.newOwner);
  });
