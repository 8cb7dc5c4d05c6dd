import { TaskListInputSchema, TaskListOutputSchema } from '@pbs/api-types';
import { customAccessProcedure } from '../../trpc/procedures.js';
import { hasTaskPrivilege, ownsTask } from './task-access.js';

export const list = customAccessProcedure('own tasks, or Sys.Audit on /system/tasks for all')
  .input(TaskListInputSchema)
  .output(TaskListOutputSchema)
  .query(async ({ ctx, input }) => {
    const { tasks } = ctx.services;
    if (await hasTaskPrivilege(ctx.services, ctx.caller, 'Sys.Audit')) return tasks.list(input);
    // Without audit rights the owner filter must apply before paging, so page here.
    const all = await tasks.list({ ...input, start: 0, limit: 0 });
    const own = all.items.filter((task) => ownsTask(ctx.caller, task.user));
    const end = input.limit === 0 ? undefined : input.start + input.limit;
    return { total: own.length, items: own.slice(input.start, end) };
  });
