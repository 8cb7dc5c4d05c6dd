import { StoreRefSchema, TaskIdOutputSchema } from '@pbs/api-types';
import { startS3Refresh } from '../../services/datastore/s3-refresh-task.js';
import { privilegedProcedure } from '../../trpc/procedures.js';

/** PBS `PUT /admin/datastore/{store}/s3-refresh` (Datastore.Modify): a worker task. */
export const s3Refresh = privilegedProcedure(StoreRefSchema, {
  privs: ['Datastore.Modify'],
  path: (input) => `/datastore/${input.store}`,
})
  .output(TaskIdOutputSchema)
  .mutation(async ({ ctx, input }) => ({
    taskId: await startS3Refresh(ctx.services, input.store, ctx.caller.authId),
  }));
