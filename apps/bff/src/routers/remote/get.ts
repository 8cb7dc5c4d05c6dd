import { z } from 'zod';
import { RemoteGetOutputSchema, RemoteNameSchema } from '@pbs/api-types';
import { withoutPassword } from '../../services/sync/remotes.js';
import { privilegedProcedure } from '../../trpc/procedures.js';
import { remoteAclPath } from './remote-path.js';

export const get = privilegedProcedure(z.object({ name: RemoteNameSchema }), {
  privs: ['Remote.Audit'],
  path: (input) => remoteAclPath(input.name),
})
  .output(RemoteGetOutputSchema)
  .query(async ({ ctx, input }) => {
    const { digest, item } = await ctx.services.remotes.get(input.name);
    return { digest, remote: withoutPassword(item) };
  });
