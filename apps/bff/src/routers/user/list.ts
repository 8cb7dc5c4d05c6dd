import { UserListOutputSchema, privilegeBit } from '@pbs/api-types';
import { customAccessProcedure } from '../../trpc/procedures.js';

/** PBS filters the list: Sys.Audit on /access/users shows everyone, otherwise only the caller. */
export const list = customAccessProcedure('everyone with Sys.Audit on /access/users, else only oneself')
  .output(UserListOutputSchema)
  .query(async ({ ctx }) => {
    const { access } = ctx.services;
    const all = await access.listUsers();
    const mask = await access.privileges(ctx.caller.authId, '/access/users');
    if ((mask & privilegeBit('Sys.Audit')) !== 0) return all;
    return { digest: all.digest, items: all.items.filter((user) => user.userid === ctx.caller.userid) };
  });
