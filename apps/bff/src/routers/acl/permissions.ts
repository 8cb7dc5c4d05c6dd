import { PermissionsInputSchema, PermissionsOutputSchema } from '@pbs/api-types';
import { customAccessProcedure } from '../../trpc/procedures.js';

/** Effective privileges of the caller, or (with Sys.Audit on /access) of anyone. */
export const permissions = customAccessProcedure('oneself, or Sys.Audit on /access for others')
  .input(PermissionsInputSchema)
  .output(PermissionsOutputSchema)
  .query(async ({ ctx, input }) => {
    const { access } = ctx.services;
    const authId = input.authId ?? ctx.caller.authId;
    const ownToken = authId.startsWith(`${ctx.caller.userid}!`) && ctx.caller.via === 'ticket';
    if (authId !== ctx.caller.authId && !ownToken) {
      await access.checkPrivileges(ctx.caller.authId, '/access', ['Sys.Audit']);
    }
    return access.permissions(authId, input.path);
  });
