import { StoreRefSchema, TaskIdOutputSchema } from '@pbs/api-types';
import { startGarbageCollection } from '../../services/datastore/operations.js';
import { privilegedProcedure } from '../../trpc/procedures.js';

export const run = privilegedProcedure(StoreRefSchema, {
  privs: ['Datastore.Modify'],
  path: (input) => `/datastore/${input.store}`,
})
  .output(TaskIdOutputSchema)
  .mutation(async ({ ctx, input }) => {
    await ctx.services.datastores.port(input.store, 'write');
    return { taskId: await startGarbageCollection(ctx.services, input.store, ctx.caller.authId) };
  });
