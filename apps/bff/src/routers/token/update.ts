import { z } from 'zod';
import { UpdateTokenInputSchema } from '@pbs/api-types';
import { customAccessProcedure } from '../../trpc/procedures.js';
import { checkTokenOwner, tokenOwner } from './token-owner.js';

export const update = customAccessProcedure('own tokens, or Permissions.Modify on /access/users')
  .input(UpdateTokenInputSchema)
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    await checkTokenOwner(ctx.services, ctx.caller, tokenOwner(input.tokenid));
    const { tokenid, digest, ...patch } = input;
    await ctx.services.access.updateToken(tokenid, patch, digest);
  });
