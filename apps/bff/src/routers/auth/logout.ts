import { z } from 'zod';
import { publicProcedure } from '../../trpc/procedures.js';

/** Public so that an expired session can still clear its cookie. */
export const logout = publicProcedure.output(z.void()).mutation(({ ctx }) => {
  ctx.setAuthCookie(null);
});
