import { TaskStatsInputSchema, TaskStatsOutputSchema } from '@pbs/api-types';
import { customAccessProcedure } from '../../trpc/procedures.js';
import { hasTaskPrivilege, ownsTask } from './task-access.js';

type Counts = Record<string, { ok: number; warning: number; error: number }>;

/** Dashboard summary: finished tasks per type and outcome since a point in time. */
export const stats = customAccessProcedure('own tasks, or Sys.Audit on /system/tasks for all')
  .input(TaskStatsInputSchema)
  .output(TaskStatsOutputSchema)
  .query(async ({ ctx, input }) => {
    const { tasks } = ctx.services;
    if (await hasTaskPrivilege(ctx.services, ctx.caller, 'Sys.Audit')) {
      return { byType: await tasks.stats(input.since) };
    }
    const finished = await tasks.list({ since: input.since, limit: 0 });
    const byType: Counts = {};
    for (const task of finished.items) {
      if (task.state === 'running' || !ownsTask(ctx.caller, task.user)) continue;
      const counts = (byType[task.worker_type] ??= { ok: 0, warning: 0, error: 0 });
      if (task.state === 'ok') counts.ok += 1;
      else if (task.state === 'warning') counts.warning += 1;
      else counts.error += 1;
    }
    return { byType };
  });
