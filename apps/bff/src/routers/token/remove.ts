import { z } from 'zod';
import { TokenRefSchema } from '@pbs/api-types';
import { customAccessProcedure } from '../../trpc/procedures.js';
import { checkTokenOwner, tokenOwner } from './token-owner.js';

export const remove = customAccessProcedure('own tokens, or Permissions.Modify on /access/users')
  .input(TokenRefSchema)
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    await checkTokenOwner(ctx.services, ctx.caller, tokenOwner(input.tokenid));
    await ctx.services.access.removeToken(input.tokenid, input.digest);
  });
