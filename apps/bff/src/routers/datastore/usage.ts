import { StoreRefSchema, UsageHistorySchema } from '@pbs/api-types';
import { privilegedProcedure } from '../../trpc/procedures.js';

export const usage = privilegedProcedure(StoreRefSchema, {
  privs: ['Datastore.Audit', 'Datastore.Backup'],
  any: true,
  path: (input) => `/datastore/${input.store}`,
})
  .output(UsageHistorySchema)
  .query(async ({ ctx, input }) => {
    await ctx.services.datastores.configOf(input.store);
    return ctx.services.usageHistory.history(input.store);
  });
