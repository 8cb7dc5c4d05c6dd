import { TaskRefSchema, TaskStatusSchema } from '@pbs/api-types';
import { customAccessProcedure } from '../../trpc/procedures.js';
import { checkTaskAccess } from './task-access.js';

export const get = customAccessProcedure('own task, or Sys.Audit on /system/tasks')
  .input(TaskRefSchema)
  .output(TaskStatusSchema)
  .query(async ({ ctx, input }) => {
    await checkTaskAccess(ctx.services, ctx.caller, input.upid, 'Sys.Audit');
    return ctx.services.tasks.status(input.upid);
  });
