import { z } from 'zod';
import { RemoveUserInputSchema } from '@pbs/api-types';
import { privilegedProcedure } from '../../trpc/procedures.js';

export const remove = privilegedProcedure(RemoveUserInputSchema, {
  privs: ['Permissions.Modify'],
  path: '/access/users',
})
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    await ctx.services.access.removeUser(input.userid, input.digest);
  });
