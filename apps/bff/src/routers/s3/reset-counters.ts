import { z } from 'zod';
import { S3CheckInputSchema } from '@pbs/api-types';
import { counterKey } from '../../services/s3/s3-statistics.js';
import { privilegedProcedure } from '../../trpc/procedures.js';

/**
 * PBS 4.1.7 `PUT /admin/s3/{id}/reset-counters` (Sys.Modify on `/`): zeroes the request counters
 * of an endpoint and bucket, or of one datastore's (`storePrefix` = its name); the counting
 * period, and so the cost extrapolation, starts again.
 */
export const resetCounters = privilegedProcedure(S3CheckInputSchema, { privs: ['Sys.Modify'], path: '/' })
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    await ctx.services.s3Endpoints.get(input.id);
    await ctx.services.s3Clients.statistics.reset(counterKey(input.id, input.bucket, input.storePrefix));
  });
