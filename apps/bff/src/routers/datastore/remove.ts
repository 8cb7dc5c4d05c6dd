import { RemoveDatastoreInputSchema, TaskIdOutputSchema } from '@pbs/api-types';
import { startRemoveDatastore } from '../../services/datastore/remove-datastore.js';
import { privilegedProcedure } from '../../trpc/procedures.js';

export const remove = privilegedProcedure(RemoveDatastoreInputSchema, {
  privs: ['Datastore.Allocate'],
  path: (input) => `/datastore/${input.name}`,
})
  .output(TaskIdOutputSchema)
  .mutation(async ({ ctx, input }) => ({
    taskId: await startRemoveDatastore(ctx.services, input, ctx.caller.authId),
  }));
