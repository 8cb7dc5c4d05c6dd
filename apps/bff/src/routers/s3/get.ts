import { z } from 'zod';
import { DigestSchema, S3EndpointIdSchema, S3EndpointSchema } from '@pbs/api-types';
import { privilegedProcedure } from '../../trpc/procedures.js';
import { endpointPath, withoutSecret } from './endpoint-path.js';

export const get = privilegedProcedure(z.object({ id: S3EndpointIdSchema }), {
  privs: ['Sys.Audit'],
  path: (input) => endpointPath(input.id),
})
  .output(z.object({ digest: DigestSchema, endpoint: S3EndpointSchema }))
  .query(async ({ ctx, input }) => {
    const { digest, item } = await ctx.services.s3Endpoints.get(input.id);
    return { digest, endpoint: withoutSecret(item) };
  });
