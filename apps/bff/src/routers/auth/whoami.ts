import { WhoAmISchema } from '@pbs/api-types';
import { authedProcedure } from '../../trpc/procedures.js';

/**
 * The caller and its privileges. A ticket session also gets a CSRF token here, so a reloaded SPA
 * (which cannot read the HttpOnly cookie) recovers its write token without logging in again.
 */
export const whoami = authedProcedure.output(WhoAmISchema).query(async ({ ctx }) => {
  const { caller } = ctx;
  return {
    authId: caller.authId,
    csrfToken: caller.via === 'ticket' ? ctx.services.access.createCsrfToken(caller.userid) : undefined,
    permissions: await ctx.services.access.permissions(caller.authId),
  };
});
