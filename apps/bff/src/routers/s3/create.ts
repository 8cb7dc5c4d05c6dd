import { z } from 'zod';
import { CreateS3EndpointInputSchema } from '@pbs/api-types';
import { privilegedProcedure } from '../../trpc/procedures.js';
import { endpointPath } from './endpoint-path.js';

export const create = privilegedProcedure(CreateS3EndpointInputSchema, {
  privs: ['Sys.Modify'],
  path: endpointPath(),
})
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    await ctx.services.s3Endpoints.create(input);
  });
