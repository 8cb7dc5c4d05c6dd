import { z } from 'zod';
import { AppError, RemoteRefSchema } from '@pbs/api-types';
import { privilegedProcedure } from '../../trpc/procedures.js';
import { remoteAclPath } from './remote-path.js';

/** PBS refuses to remove a remote that a sync job still uses. */
export const remove = privilegedProcedure(RemoteRefSchema, {
  privs: ['Remote.Modify'],
  path: (input) => remoteAclPath(input.name),
})
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const user = (await ctx.services.syncJobs.read()).items.find((job) => job.remote === input.name);
    if (user !== undefined) {
      throw new AppError('BUSY', `remote '${input.name}' is used by sync job '${user.id}'`, {
        details: { job: user.id },
      });
    }
    await ctx.services.remotes.remove(input.name, input.digest);
  });
