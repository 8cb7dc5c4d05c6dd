/**
 * UPIDs (pbs-formats §9.1): `UPID:<node>:<pid>:<pstart>:<task_id>:<starttime>:<type>:<id>:<auth>:`
 * with uppercase hex numbers of at least 8 digits and an escaped worker id.
 */
import { join } from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import { escapeWorkerId, unescapeWorkerId } from './worker-id.js';

export { escapeWorkerId, unescapeWorkerId } from './worker-id.js';

export interface Upid {
  node: string;
  pid: number;
  pstart: number;
  taskId: number;
  /** epoch seconds */
  startTime: number;
  workerType: string;
  /** unescaped */
  workerId: string | null;
  authId: string;
}

// Same grammar as proxmox-schema's PROXMOX_UPID_REGEX (and api-types' UPID_REGEX).
const UPID_RE =
  /^UPID:([a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8,16}):([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/;

export const NODE_NAME_RE = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;

function hex8(n: number): string {
  return n.toString(16).toUpperCase().padStart(8, '0');
}

export function formatUpid(u: Upid): string {
  const wid = u.workerId === null ? '' : escapeWorkerId(u.workerId);
  return `UPID:${u.node}:${hex8(u.pid)}:${hex8(u.pstart)}:${hex8(u.taskId)}:${hex8(u.startTime)}:${u.workerType}:${wid}:${u.authId}:`;
}

export function parseUpid(s: string): Upid {
  const m = UPID_RE.exec(s);
  if (!m) throw new AppError('INVALID_ARGUMENT', `unable to parse UPID '${s}'`);
  const [
    ,
    node = '',
    pid = '',
    pstart = '',
    taskId = '',
    startTime = '',
    workerType = '',
    wid = '',
    authId = '',
  ] = m;
  const taskIdValue = parseInt(taskId, 16);
  if (!Number.isSafeInteger(taskIdValue)) {
    throw new AppError('INVALID_ARGUMENT', `UPID '${s}': task id out of range`);
  }
  let workerId: string | null = null;
  if (wid) {
    try {
      workerId = unescapeWorkerId(wid);
    } catch (err) {
      throw new AppError('INVALID_ARGUMENT', `unable to parse UPID '${s}': bad worker id`, { cause: err });
    }
  }
  return {
    node,
    pid: parseInt(pid, 16),
    pstart: parseInt(pstart, 16),
    taskId: taskIdValue,
    startTime: parseInt(startTime, 16),
    workerType,
    workerId,
    authId,
  };
}

/** The log directory bucket comes from pstart, not from the start time. */
export function taskLogPath(logDir: string, u: Upid): string {
  const bucket = (u.pstart % 256).toString(16).toUpperCase().padStart(2, '0');
  return join(logDir, bucket, formatUpid(u));
}
