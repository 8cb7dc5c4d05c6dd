import { CreateDatastoreInputSchema, TaskIdOutputSchema } from '@pbs/api-types';
import { startCreateDatastore } from '../../services/datastore/create-datastore.js';
import { privilegedProcedure } from '../../trpc/procedures.js';

export const create = privilegedProcedure(CreateDatastoreInputSchema, {
  privs: ['Datastore.Allocate'],
  path: '/datastore',
})
  .output(TaskIdOutputSchema)
  .mutation(async ({ ctx, input }) => ({
    taskId: await startCreateDatastore(ctx.services, input, ctx.caller.authId),
  }));
