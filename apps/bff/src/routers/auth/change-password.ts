import { z } from 'zod';
import { AppError, ChangePasswordInputSchema } from '@pbs/api-types';
import { customAccessProcedure } from '../../trpc/procedures.js';

/** PBS: users change their own password (confirming the current one); admins need Permissions.Modify. */
export const changePassword = customAccessProcedure(
  'self with current password, or Permissions.Modify on /access/users',
)
  .input(ChangePasswordInputSchema)
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const { access } = ctx.services;
    const isSelf = ctx.caller.via === 'ticket' && ctx.caller.userid === input.userid;
    if (isSelf) {
      const ok =
        input.confirmationPassword !== undefined &&
        (await access.verifyPassword(input.userid, input.confirmationPassword));
      if (!ok)
        throw new AppError('INVALID_ARGUMENT', 'current password is wrong', {
          details: { field: 'confirmationPassword' },
        });
    } else {
      await access.checkPrivileges(ctx.caller.authId, '/access/users', ['Permissions.Modify']);
    }
    await access.setPassword(input.userid, input.password);
  });
