import { z } from 'zod';
import { UpdateAclInputSchema } from '@pbs/api-types';
import { privilegedProcedure } from '../../trpc/procedures.js';

export const update = privilegedProcedure(UpdateAclInputSchema, {
  privs: ['Permissions.Modify'],
  path: '/access/acl',
})
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const { digest, ...entry } = input;
    await ctx.services.access.updateAcl(entry, digest);
    ctx.services.logger.info({ by: ctx.caller.authId, ...entry }, 'acl updated');
  });
