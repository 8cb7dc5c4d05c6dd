import { z } from 'zod';
import { CreateUserInputSchema } from '@pbs/api-types';
import { privilegedProcedure } from '../../trpc/procedures.js';

export const create = privilegedProcedure(CreateUserInputSchema, {
  privs: ['Permissions.Modify'],
  path: '/access/users',
})
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    await ctx.services.access.createUser(input);
  });
