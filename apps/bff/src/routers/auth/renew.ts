import { AppError, SessionSchema } from '@pbs/api-types';
import { authedProcedure } from '../../trpc/procedures.js';

/** Issues a fresh ticket for a still-valid one; the SPA calls it every 15 minutes. */
export const renew = authedProcedure.output(SessionSchema).mutation(async ({ ctx }) => {
  if (ctx.caller.ticket === undefined) {
    throw new AppError(
      'INVALID_ARGUMENT',
      'only ticket sessions can be renewed; api tokens do not expire this way',
    );
  }
  const session = await ctx.services.access.renewTicket(ctx.caller.ticket);
  ctx.setAuthCookie(session.ticket);
  return { username: session.username, csrfToken: session.csrfToken, expiresIn: 7200 };
});
