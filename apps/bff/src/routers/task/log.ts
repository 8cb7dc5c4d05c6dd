import { TaskLogInputSchema, TaskLogOutputSchema } from '@pbs/api-types';
import { customAccessProcedure } from '../../trpc/procedures.js';
import { checkTaskAccess } from './task-access.js';

export const log = customAccessProcedure('own task, or Sys.Audit on /system/tasks')
  .input(TaskLogInputSchema)
  .output(TaskLogOutputSchema)
  .query(async ({ ctx, input }) => {
    await checkTaskAccess(ctx.services, ctx.caller, input.upid, 'Sys.Audit');
    return ctx.services.tasks.readLog(input.upid, input.start, input.limit);
  });
