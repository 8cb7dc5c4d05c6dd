import { AppError, S3CheckInputSchema, S3CheckOutputSchema } from '@pbs/api-types';
import { privilegedProcedure } from '../../trpc/procedures.js';

/**
 * PBS `PUT /admin/s3/{id}/check` (Sys.Modify on `/`, as PBS checks it): HEAD bucket, then a
 * test object written, read and deleted under the store prefix. Failures keep the S3 error's
 * code (wrong credentials: PERMISSION_DENIED; missing bucket: NOT_FOUND; unreachable or
 * certificate mismatch: BACKEND_UNAVAILABLE) with a message that names endpoint and bucket.
 */
export const check = privilegedProcedure(S3CheckInputSchema, { privs: ['Sys.Modify'], path: '/' })
  .output(S3CheckOutputSchema)
  .mutation(async ({ ctx, input }) => {
    const client = await ctx.services.s3Clients.client(input.id, input.bucket);
    try {
      const { latencyMs } = await client.checkReadWrite(input.storePrefix);
      return {
        ok: true as const,
        latencyMs,
        message: `${client.describe()}: bucket reachable, test object written, read and deleted`,
      };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      throw new AppError(err.code, `check of S3 endpoint '${input.id}' failed: ${err.message}`, {
        details: { ...err.details, endpoint: input.id, bucket: input.bucket },
      });
    }
  });
