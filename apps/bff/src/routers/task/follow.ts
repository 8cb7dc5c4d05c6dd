import { TaskFollowInputSchema } from '@pbs/api-types';
import { customAccessProcedure } from '../../trpc/procedures.js';
import { checkTaskAccess } from './task-access.js';

/**
 * Live log and progress over SSE; the stream ends with the task's final status. Access and
 * existence are checked before the stream starts, so refusals arrive as proper error codes.
 */
export const follow = customAccessProcedure('own task, or Sys.Audit on /system/tasks')
  .input(TaskFollowInputSchema)
  .subscription(async ({ ctx, input, signal }) => {
    await checkTaskAccess(ctx.services, ctx.caller, input.upid, 'Sys.Audit');
    await ctx.services.tasks.status(input.upid);
    return ctx.services.tasks.follow(input.upid, input.fromLine, signal);
  });
