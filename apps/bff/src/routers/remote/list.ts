import { privilegeBit, RemoteListOutputSchema, type Remote } from '@pbs/api-types';
import { withoutPassword } from '../../services/sync/remotes.js';
import { customAccessProcedure } from '../../trpc/procedures.js';
import { remoteAclPath } from './remote-path.js';

/** PBS lists the remotes the caller has Remote.Audit on (/remote/{name}); never the password. */
export const list = customAccessProcedure('remotes with Remote.Audit on /remote/{name}')
  .output(RemoteListOutputSchema)
  .query(async ({ ctx }) => {
    const { digest, items } = await ctx.services.remotes.read();
    const visible: Remote[] = [];
    for (const item of items) {
      const mask = await ctx.services.access.privileges(ctx.caller.authId, remoteAclPath(item.name));
      if ((mask & privilegeBit('Remote.Audit')) !== 0) visible.push(withoutPassword(item));
    }
    return { digest, items: visible.sort((a, b) => a.name.localeCompare(b.name)) };
  });
