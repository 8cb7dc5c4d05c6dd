import { CreateTokenInputSchema, CreateTokenOutputSchema } from '@pbs/api-types';
import { customAccessProcedure } from '../../trpc/procedures.js';
import { checkTokenOwner } from './token-owner.js';

export const create = customAccessProcedure('own tokens, or Permissions.Modify on /access/users')
  .input(CreateTokenInputSchema)
  .output(CreateTokenOutputSchema)
  .mutation(async ({ ctx, input }) => {
    await checkTokenOwner(ctx.services, ctx.caller, input.userid);
    const { userid, tokenName, ...opts } = input;
    return ctx.services.access.createToken(userid, tokenName, opts);
  });
