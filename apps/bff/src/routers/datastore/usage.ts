import { StoreRefSchema, UsageHistorySchema } from '@pbs/api-types';
import { privilegedProcedure } from '../../trpc/procedures.js';

export const usage = privilegedProcedure(StoreRefSchema, {
  privs: ['Datastore.Audit', 'Datastore.Backup'],
  any: true,
  path: (input) => `/datastore/${input.store}`,
})
  .output(UsageHistorySchema)
  .query(({ ctx, input }) => ctx.services.usageHistory.history(input.store));
