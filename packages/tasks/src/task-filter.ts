/** Task list filters with the semantics of PBS's `GET /nodes/{node}/tasks` (api2/node/tasks.rs). */
import type { TaskInfo } from './task-info.js';

export interface TaskListFilter {
  start?: number;
  /** 0 = all; default 50 as in PBS */
  limit?: number;
  running?: boolean;
  /** everything but tasks that ended OK (running ones stay) */
  errors?: boolean;
  /** substring of the worker type, as PBS matches it */
  typefilter?: string;
  /** only finished tasks in one of these states */
  statusfilter?: Array<'ok' | 'warning' | 'error' | 'unknown'>;
  /** substring of the auth id */
  userfilter?: string;
  /** tasks whose worker id refers to the datastore */
  store?: string;
  /** start time ≥ since */
  since?: number;
  /** start time ≤ until */
  until?: number;
}

export const DEFAULT_LIST_LIMIT = 50;

/** Sync job worker ids are `<remote|->:<remote store>:<local store>[:<ns>]:…`. */
function syncJobLocalStore(workerId: string): string | undefined {
  return workerId.split(':')[2];
}

export function refersToStore(info: TaskInfo, store: string): boolean {
  const id = info.worker_id;
  if (id === null) return false;
  if (info.worker_type === 'syncjob') return syncJobLocalStore(id) === store;
  return id === store || id.startsWith(`${store}:`);
}

export function matchesFilter(info: TaskInfo, f: TaskListFilter): boolean {
  if (f.until !== undefined && info.starttime > f.until) return false;
  if (f.since !== undefined && info.starttime < f.since) return false;
  if (f.userfilter !== undefined && !info.user.includes(f.userfilter)) return false;
  if (f.store !== undefined && !refersToStore(info, f.store)) return false;
  if (f.typefilter !== undefined && !info.worker_type.includes(f.typefilter)) return false;
  if (info.state === 'running') return f.statusfilter === undefined;
  if (f.running) return false;
  if (f.errors && info.state === 'ok') return false;
  if (f.statusfilter !== undefined && !f.statusfilter.includes(info.state)) return false;
  return true;
}

/** Filters, then pages; `total` counts every match, not only the page. */
export function filterAndPage(
  all: Iterable<TaskInfo>,
  f: TaskListFilter,
): { total: number; items: TaskInfo[] } {
  const start = f.start ?? 0;
  const limit = f.limit ?? DEFAULT_LIST_LIMIT;
  const end = limit === 0 ? Infinity : start + limit;
  const items: TaskInfo[] = [];
  let total = 0;
  for (const info of all) {
    if (!matchesFilter(info, f)) continue;
    if (total >= start && total < end) items.push(info);
    total++;
  }
  return { total, items };
}
