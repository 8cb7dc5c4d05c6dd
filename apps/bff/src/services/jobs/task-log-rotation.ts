/**
 * Daily rotation of the task archive and logs (PBS runs 'logrotate' as a worker task too): keeps
 * the task list bounded by the retention limits of the task manager.
 */
import type { ScheduledJob } from '@pbs/tasks';
import type { TaskManager } from '@pbs/tasks';

export const TASK_LOG_ROTATION_SCHEDULE = 'daily';

export function startTaskLogRotation(tasks: TaskManager, authId: string): Promise<string> {
  return tasks.spawn({
    type: 'logrotate',
    id: null,
    authId,
    run: async (ctx) => {
      ctx.log('rotating the task archive and removing expired task logs');
      const { removed } = await tasks.rotate();
      ctx.log(removed === 0 ? 'nothing to remove' : `removed ${removed} finished task(s) and their logs`);
    },
  });
}

export function taskLogRotationJob(tasks: TaskManager): ScheduledJob {
  return {
    jobType: 'logrotate',
    id: 'tasks',
    schedule: TASK_LOG_ROTATION_SCHEDULE,
    run: () => startTaskLogRotation(tasks, 'root@pam'),
  };
}
