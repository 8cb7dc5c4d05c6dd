/**
 * Scheduled datastore jobs for the minute scheduler: each store's gc-schedule, and every enabled
 * prune and verify job. Read from the config files on every tick, so edits apply at once.
 */
import type { ScheduledJob } from '@pbs/tasks';
import type { Services } from '../services.js';
import { startGarbageCollection, startPruneJob, startVerifyJob } from './operations.js';

/** PBS runs scheduled jobs as root@pam. */
export const SCHEDULER_AUTH_ID = 'root@pam';

export async function datastoreJobs(services: Services): Promise<ScheduledJob[]> {
  const jobs: ScheduledJob[] = [];
  for (const store of await services.datastores.list()) {
    const schedule = store.gcSchedule;
    if (schedule === undefined || store.maintenanceMode !== undefined) continue;
    jobs.push({
      jobType: 'garbage_collection',
      id: store.name,
      schedule,
      run: () => startGarbageCollection(services, store.name, SCHEDULER_AUTH_ID, schedule),
    });
  }
  for (const job of (await services.pruneJobs.read()).items) {
    if (job.disable === true) continue;
    jobs.push({
      jobType: 'prunejob',
      id: job.id,
      schedule: job.schedule,
      run: () => startPruneJob(services, job, SCHEDULER_AUTH_ID, job.schedule),
    });
  }
  for (const job of (await services.verifyJobs.read()).items) {
    const schedule = job.schedule;
    if (schedule === undefined) continue;
    jobs.push({
      jobType: 'verificationjob',
      id: job.id,
      schedule,
      run: () => startVerifyJob(services, job, SCHEDULER_AUTH_ID, schedule),
    });
  }
  return jobs;
}
