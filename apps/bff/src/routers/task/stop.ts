import { z } from 'zod';
import { TaskRefSchema } from '@pbs/api-types';
import { customAccessProcedure } from '../../trpc/procedures.js';
import { checkTaskAccess } from './task-access.js';

export const stop = customAccessProcedure('own task, or Sys.Modify on /system/tasks')
  .input(TaskRefSchema)
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    await checkTaskAccess(ctx.services, ctx.caller, input.upid, 'Sys.Modify');
    await ctx.services.tasks.stop(input.upid);
    ctx.services.logger.info({ upid: input.upid, by: ctx.caller.authId }, 'task stop requested');
  });
