import { z } from 'zod';
import { AppError, S3EndpointRefSchema } from '@pbs/api-types';
import { privilegedProcedure } from '../../trpc/procedures.js';
import { endpointPath } from './endpoint-path.js';

/** PBS refuses to remove an endpoint a datastore still uses. */
export const remove = privilegedProcedure(S3EndpointRefSchema, {
  privs: ['Sys.Modify'],
  path: (input) => endpointPath(input.id),
})
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const user = (await ctx.services.datastores.list()).find(
      (ds) => ds.backend?.type === 's3' && ds.backend.client === input.id,
    );
    if (user !== undefined) {
      throw new AppError('BUSY', `S3 endpoint '${input.id}' is in use by datastore '${user.name}'`, {
        details: { store: user.name },
      });
    }
    await ctx.services.s3Endpoints.remove(input.id, input.digest);
    ctx.services.s3Clients.forget(input.id);
    ctx.services.datastores.forgetEndpoint(input.id);
  });
