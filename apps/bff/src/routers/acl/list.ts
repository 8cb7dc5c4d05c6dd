import { AclListInputSchema, AclListOutputSchema, privilegeBit, splitAuthId } from '@pbs/api-types';
import { customAccessProcedure } from '../../trpc/procedures.js';

/** PBS: everything with Sys.Audit on /access/acl; otherwise only entries of one's own tokens. */
export const list = customAccessProcedure("all with Sys.Audit on /access/acl, else the caller's own entries")
  .input(AclListInputSchema)
  .output(AclListOutputSchema)
  .query(async ({ ctx, input }) => {
    const { access } = ctx.services;
    const acl = await access.listAcl({ path: input.path, exact: input.exact });
    const mask = await access.privileges(ctx.caller.authId, '/access/acl');
    if ((mask & privilegeBit('Sys.Audit')) !== 0) return acl;
    const mine = acl.items.filter(
      (entry) => entry.ugid === ctx.caller.authId || splitAuthId(entry.ugid).user === ctx.caller.authId,
    );
    return { digest: acl.digest, items: mine };
  });
