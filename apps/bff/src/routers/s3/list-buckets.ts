import { z } from 'zod';
import { S3EndpointIdSchema, S3ListBucketsOutputSchema } from '@pbs/api-types';
import { privilegedProcedure } from '../../trpc/procedures.js';

/** PBS `GET /config/s3/{id}/list-buckets` (4.0.8; Sys.Audit on `/`, as PBS checks it). */
export const listBuckets = privilegedProcedure(z.object({ id: S3EndpointIdSchema }), {
  privs: ['Sys.Audit'],
  path: '/',
})
  .output(S3ListBucketsOutputSchema)
  .query(async ({ ctx, input }) => {
    const client = await ctx.services.s3Clients.client(input.id);
    const buckets = await client.listBuckets();
    return buckets.sort((a, b) => a.name.localeCompare(b.name));
  });
