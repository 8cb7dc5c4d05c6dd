import { DatastoreGetOutputSchema, StoreRefSchema } from '@pbs/api-types';
import { privilegedProcedure } from '../../trpc/procedures.js';

export const get = privilegedProcedure(StoreRefSchema, {
  privs: ['Datastore.Audit'],
  path: (input) => `/datastore/${input.store}`,
})
  .output(DatastoreGetOutputSchema)
  .query(async ({ ctx, input }) => {
    const { digest, item } = await ctx.services.datastores.config.get(input.store);
    return { digest, config: item };
  });
