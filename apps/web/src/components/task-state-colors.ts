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

/** A snapshot's last verification; 'none' = never verified. */
export const VERIFY_STATE_COLORS: Record<'ok' | 'failed' | 'none', string> = {
  ok: 'green',
  failed: 'red',
  none: 'gray',
};

/** The prune dry run: what happens to each snapshot. */
export const PRUNE_MARK_COLORS: Record<'keep' | 'remove' | 'protected' | 'keep-partial', string> = {
  keep: 'green',
  remove: 'red',
  protected: 'blue',
  'keep-partial': 'yellow',
};

/** Encryption of a snapshot or archive. */
export const CRYPT_MODE_COLORS: Record<'none' | 'sign-only' | 'encrypt' | 'mixed', string> = {
  none: 'gray',
  'sign-only': 'blue',
  encrypt: 'green',
  mixed: 'yellow',
};

/** A datastore's maintenance mode (and the internal ones PBS shows as overlays). */
export const MAINTENANCE_COLORS: Record<
  'read-only' | 'offline' | 'delete' | 'unmount' | 's3-refresh',
  string
> = {
  'read-only': 'yellow',
  offline: 'red',
  delete: 'red',
  unmount: 'gray',
  's3-refresh': 'blue',
};
