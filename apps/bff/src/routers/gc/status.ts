import { GcJobSchema, GcStatusSchema, StoreRefSchema } from '@pbs/api-types';
import { gcJobOf } from '../../services/datastore/job-status.js';
import { privilegedProcedure } from '../../trpc/procedures.js';

export const status = privilegedProcedure(StoreRefSchema, {
  privs: ['Datastore.Audit'],
  path: (input) => `/datastore/${input.store}`,
})
  .output(GcJobSchema.extend({ gcStatus: GcStatusSchema.nullable() }))
  .query(async ({ ctx, input }) => {
    const { port, config } = await ctx.services.datastores.port(input.store, 'lookup');
    return { ...(await gcJobOf(ctx.services, config)), gcStatus: await port.gcStatus() };
  });
