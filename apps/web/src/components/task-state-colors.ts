/** Status colours, in one place: every badge, bar and matrix cell takes its colour from here. */
import type { TaskState } from '@pbs/api-types';

export const TASK_STATE_COLORS: Record<TaskState, string> = {
  running: 'blue',
  ok: 'green',
  warning: 'yellow',
  error: 'red',
  unknown: 'gray',
};

export const TASK_STATE_LABELS: Record<TaskState, string> = {
  running: 'running',
  ok: 'OK',
  warning: 'warning',
  error: 'error',
  unknown: 'unknown',
};

/** A usage bar turns yellow, then red, as a disk or memory fills up. */
export function usageColor(fraction: number): string {
  if (fraction >= 0.9) return 'red';
  if (fraction >= 0.75) return 'yellow';
  return 'blue';
}
