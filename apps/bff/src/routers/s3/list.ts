import { privilegeBit, S3EndpointListOutputSchema, type S3Endpoint } from '@pbs/api-types';
import { customAccessProcedure } from '../../trpc/procedures.js';
import { endpointPath, withoutSecret } from './endpoint-path.js';

/** PBS filters the list by Sys.Audit on /system/s3-endpoint/{id}. */
export const list = customAccessProcedure('endpoints with Sys.Audit on /system/s3-endpoint/{id}')
  .output(S3EndpointListOutputSchema)
  .query(async ({ ctx }) => {
    const { digest, items } = await ctx.services.s3Endpoints.read();
    const visible: S3Endpoint[] = [];
    for (const item of items) {
      const mask = await ctx.services.access.privileges(ctx.caller.authId, endpointPath(item.id));
      if ((mask & privilegeBit('Sys.Audit')) !== 0) visible.push(withoutSecret(item));
    }
    return { digest, items: visible.sort((a, b) => a.id.localeCompare(b.id)) };
  });
