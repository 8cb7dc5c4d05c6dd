/** A job's last and next run for the job grids (PBS JobScheduleStatus), from its job state. */
import type { DatastoreConfig, GcJob, JobStatus } from '@pbs/api-types';
import { computeNextEvent, parseCalendarEvent, parseUpid, type JobState } from '@pbs/tasks';
import type { Services } from '../services.js';

function nextRun(services: Services, schedule: string | undefined, state: JobState): number | null {
  if (schedule === undefined) return null;
  try {
    return computeNextEvent(parseCalendarEvent(schedule), services.jobStates.lastRunTime(state), false);
  } catch {
    return null;
  }
}

export async function jobStatus(
  services: Services,
  jobType: string,
  id: string,
  schedule: string | undefined,
): Promise<JobStatus> {
  const state = await services.jobStates.read(jobType, id);
  const status: JobStatus = {
    nextRun: nextRun(services, schedule, state),
    lastRunUpid: null,
    lastRunState: null,
    lastRunEndtime: null,
    lastRunStarttime: null,
  };
  if (state.kind === 'started' || state.kind === 'finished') {
    status.lastRunUpid = state.upid;
    status.lastRunStarttime = parseUpid(state.upid).startTime;
    status.lastRunState = state.kind === 'started' ? 'running' : state.state.state;
    if (state.kind === 'finished') status.lastRunEndtime = state.state.endtime;
  }
  return status;
}

export async function gcJobOf(services: Services, config: DatastoreConfig): Promise<GcJob> {
  return {
    store: config.name,
    schedule: config.gcSchedule ?? null,
    status: await jobStatus(services, 'garbage_collection', config.name, config.gcSchedule),
  };
}
