import { CreateTokenOutputSchema, TokenRefSchema } from '@pbs/api-types';
import { customAccessProcedure } from '../../trpc/procedures.js';
import { checkTokenOwner, tokenOwner } from './token-owner.js';

export const regenerate = customAccessProcedure('own tokens, or Permissions.Modify on /access/users')
  .input(TokenRefSchema)
  .output(CreateTokenOutputSchema)
  .mutation(async ({ ctx, input }) => {
    await checkTokenOwner(ctx.services, ctx.caller, tokenOwner(input.tokenid));
    return ctx.services.access.regenerateToken(input.tokenid);
  });
