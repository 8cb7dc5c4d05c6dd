import { z } from 'zod';
import { AppError, ChangeOwnerInputSchema, splitAuthId } from '@pbs/api-types';
import { mayHandOver, StoreAccess } from '../../services/datastore/content-access.js';
import type { Services } from '../../services/services.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

/** PBS is_active_auth_id: the user (and the token) exists, is enabled and has not expired. */
async function isActive(services: Services, authId: string): Promise<boolean> {
  const now = Math.floor(services.clock.now() / 1000);
  const live = (e: { enable: boolean; expire: number }) => e.enable && (e.expire === 0 || e.expire > now);
  const { user, token } = splitAuthId(authId);
  const found = (await services.access.listUsers()).items.find((u) => u.userid === user);
  if (found === undefined || !live(found)) return false;
  return token === undefined || found.tokens.some((tk) => tk.tokenid === authId && live(tk));
}

/** PBS set_backup_owner: Modify, or Backup to move an owned group between the caller and its tokens. */
export const changeOwner = customAccessProcedure(
  "Datastore.Modify, or Datastore.Backup between the owner and the owner's tokens",
)
  .input(ChangeOwnerInputSchema)
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const access = await StoreAccess.of(ctx.services, ctx.caller, input.store, input.ns);
    access.require(['Datastore.Modify', 'Datastore.Backup'], [], null, 'change owner');
    const { port } = await ctx.services.datastores.port(input.store, 'write');
    const owner = await port.getOwner(input.ns, input.group);
    if (!access.has('Datastore.Modify') && !mayHandOver(ctx.caller, owner, input.newOwner)) {
      throw new AppError(
        'PERMISSION_DENIED',
        `${ctx.caller.authId} does not have permission to change owner of backup group '${input.group.type}/${input.group.id}' to ${input.newOwner}`,
      );
    }
    if (!(await isActive(ctx.services, input.newOwner))) {
      throw new AppError('INVALID_ARGUMENT', `new owner '${input.newOwner}' is not an active user or token`, {
        details: { field: 'newOwner' },
      });
    }
    await port.setOwner(input.ns, input.group, input.newOwner);
  });
