import { z } from 'zod';
import { UpdateS3EndpointInputSchema, type S3EndpointConfig } from '@pbs/api-types';
import { privilegedProcedure } from '../../trpc/procedures.js';
import { endpointPath } from './endpoint-path.js';

/** Absent fields (the secret included) keep their value; `delete` clears optional ones. */
export const update = privilegedProcedure(UpdateS3EndpointInputSchema, {
  privs: ['Sys.Modify'],
  path: (input) => endpointPath(input.id),
})
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const { id, digest, delete: deleted = [], ...patch } = input;
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    await ctx.services.s3Endpoints.update(
      id,
      (current) => {
        const next: Record<string, unknown> = { ...current, ...defined };
        for (const key of deleted) delete next[key];
        return next as S3EndpointConfig;
      },
      digest,
    );
    ctx.services.s3Clients.forget(id);
    ctx.services.datastores.forgetEndpoint(id);
  });
