import { z } from 'zod';
import { UpdateUserInputSchema } from '@pbs/api-types';
import { privilegedProcedure } from '../../trpc/procedures.js';

export const update = privilegedProcedure(UpdateUserInputSchema, {
  privs: ['Permissions.Modify'],
  path: '/access/users',
})
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const { userid, digest, ...patch } = input;
    await ctx.services.access.updateUser(userid, patch, digest);
  });
