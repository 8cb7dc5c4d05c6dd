import { TestRemoteInputSchema, TestRemoteOutputSchema } from '@pbs/api-types';
import { testRemote } from '@pbs/sync';
import { remoteEndpoint } from '../../services/sync/remotes.js';
import { privilegedProcedure } from '../../trpc/procedures.js';
import { remoteAclPath } from './remote-path.js';

/** Logs in with the stored credentials and reads the remote's version. */
export const testConnection = privilegedProcedure(TestRemoteInputSchema, {
  privs: ['Remote.Audit'],
  path: (input) => remoteAclPath(input.name),
})
  .output(TestRemoteOutputSchema)
  .mutation(async ({ ctx, input }) => {
    const endpoint = await remoteEndpoint(ctx.services, input.name);
    const version = await testRemote(endpoint);
    return {
      ok: true as const,
      ...version,
      message: `remote '${input.name}': logged in as '${endpoint.authId}', server version ${version.version}${version.release === '' ? '' : `.${version.release}`}`,
    };
  });
