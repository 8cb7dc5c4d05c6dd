import { z } from 'zod';
import { DigestSchema, S3PricesSchema } from '@pbs/api-types';
import { privilegedProcedure } from '../../trpc/procedures.js';
import { endpointPath } from './endpoint-path.js';

/** Prices for the estimated monthly cost of S3 datastores (beyond PBS). */
export const prices = privilegedProcedure(z.object({}).optional(), {
  privs: ['Sys.Audit'],
  path: endpointPath(),
})
  .output(z.object({ digest: DigestSchema, prices: S3PricesSchema }))
  .query(async ({ ctx }) => {
    const { data, digest } = await ctx.services.s3Prices.read();
    return { digest, prices: data };
  });

export const setPrices = privilegedProcedure(S3PricesSchema.extend({ digest: DigestSchema.optional() }), {
  privs: ['Sys.Modify'],
  path: endpointPath(),
})
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const { digest, ...next } = input;
    await ctx.services.s3Prices.update(digest, (data) => Object.assign(data, next));
  });
