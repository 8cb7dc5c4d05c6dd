/**
 * URLs of the task views: the task page (`/tasks/<encodeURIComponent(upid)>`: UPIDs hold ':'
 * and '\') and the task list's filters as search parameters, so every filtered list is a link.
 */
import { dateToEpoch } from './format';
import type { RouterInputs } from './trpc';

export const TASK_END_STATES = ['ok', 'warning', 'error', 'unknown'] as const;
export type TaskEndState = (typeof TASK_END_STATES)[number];

export interface TaskFilters {
  running: boolean;
  type: string;
  status: TaskEndState[];
  user: string;
  store: string;
  /** 'YYYY-MM-DD' (local day) */
  since: string | null;
  until: string | null;
  /** 1-based */
  page: number;
}

export const EMPTY_TASK_FILTERS: TaskFilters = {
  running: false,
  type: '',
  status: [],
  user: '',
  store: '',
  since: null,
  until: null,
  page: 1,
};

export function taskPath(upid: string): string {
  return `/tasks/${encodeURIComponent(upid)}`;
}

/** The router hands the parameter over decoded; tolerate a second encoding layer too. */
export function upidFromParam(param: string | undefined): string {
  if (param === undefined) return '';
  if (!param.startsWith('UPID%3A')) return param;
  try {
    return decodeURIComponent(param);
  } catch {
    return param;
  }
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function isEndState(value: string): value is TaskEndState {
  return (TASK_END_STATES as readonly string[]).includes(value);
}

export function readTaskFilters(params: URLSearchParams): TaskFilters {
  const date = (key: string) => {
    const value = params.get(key);
    return value !== null && DATE_RE.test(value) ? value : null;
  };
  const page = Number(params.get('page') ?? '1');
  return {
    running: params.get('running') === '1',
    type: params.get('type') ?? '',
    status: params
      .getAll('status')
      .flatMap((s) => s.split(','))
      .filter(isEndState),
    user: params.get('user') ?? '',
    store: params.get('store') ?? '',
    since: date('since'),
    until: date('until'),
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export function writeTaskFilters(f: Partial<TaskFilters>): URLSearchParams {
  const params = new URLSearchParams();
  if (f.running === true) params.set('running', '1');
  if (f.type) params.set('type', f.type);
  if (f.status && f.status.length > 0) params.set('status', f.status.join(','));
  if (f.user) params.set('user', f.user);
  if (f.store) params.set('store', f.store);
  if (f.since) params.set('since', f.since);
  if (f.until) params.set('until', f.until);
  if (f.page !== undefined && f.page > 1) params.set('page', String(f.page));
  return params;
}

export function taskListPath(f: Partial<TaskFilters>): string {
  const search = writeTaskFilters(f).toString();
  return search === '' ? '/tasks' : `/tasks?${search}`;
}

export function taskListInput(f: TaskFilters, pageSize: number): RouterInputs['task']['list'] {
  return {
    start: (f.page - 1) * pageSize,
    limit: pageSize,
    running: f.running || undefined,
    typefilter: f.type.trim() || undefined,
    statusfilter: f.status.length > 0 ? f.status : undefined,
    userfilter: f.user.trim() || undefined,
    store: f.store.trim() || undefined,
    since: dateToEpoch(f.since),
    until: dateToEpoch(f.until, true),
  };
}
