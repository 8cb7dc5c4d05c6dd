import { LoginInputSchema, SessionSchema } from '@pbs/api-types';
import { publicProcedure } from '../../trpc/procedures.js';

export const login = publicProcedure
  .input(LoginInputSchema)
  .output(SessionSchema)
  .mutation(async ({ ctx, input }) => {
    const username = input.username.includes('@') ? input.username : `${input.username}@${input.realm}`;
    const session = await ctx.services.access.login(username, input.password, ctx.remoteAddress);
    ctx.setAuthCookie(session.ticket);
    ctx.services.logger.info({ user: session.username, from: ctx.remoteAddress }, 'login');
    return { username: session.username, csrfToken: session.csrfToken, expiresIn: 7200 };
  });
