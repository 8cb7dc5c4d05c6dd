/** The public task descriptions (list items and status), built from a UPID and its end state. */
import type { TaskProgress, TaskState } from '@pbs/api-types/domain';
import type { TaskEnd } from './task-state.js';
import type { Upid } from './upid.js';

export interface TaskInfo {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  endtime?: number;
  worker_type: string;
  worker_id: string | null;
  user: string;
  state: TaskState;
  /** 'OK' | 'WARNINGS: n' | error message | 'unknown' */
  status?: string;
}

export interface TaskStatusInfo extends TaskInfo {
  progress: TaskProgress | null;
  warnings: number;
}

export function toTaskInfo(upidStr: string, upid: Upid, end?: TaskEnd): TaskInfo {
  const info: TaskInfo = {
    upid: upidStr,
    node: upid.node,
    pid: upid.pid,
    pstart: upid.pstart,
    starttime: upid.startTime,
    worker_type: upid.workerType,
    worker_id: upid.workerId,
    user: upid.authId,
    state: end ? end.state : 'running',
  };
  if (end) {
    info.endtime = end.endtime;
    info.status = end.status;
  }
  return info;
}
