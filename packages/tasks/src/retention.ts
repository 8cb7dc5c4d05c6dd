/** Which archive entries a rotation keeps: those that ended within maxDays, at most maxTasks. */
import type { TaskListEntry } from './task-list-file.js';

export interface RetentionPolicy {
  maxDays?: number;
  maxTasks?: number;
}

export const DEFAULT_RETENTION = { maxDays: 30, maxTasks: 10_000 } as const;

/** `archive` is in file order (oldest end first); the newest entries are the ones kept. */
export function retainedEntries(
  archive: TaskListEntry[],
  nowSec: number,
  policy: RetentionPolicy = {},
): TaskListEntry[] {
  const maxDays = policy.maxDays ?? DEFAULT_RETENTION.maxDays;
  const maxTasks = policy.maxTasks ?? DEFAULT_RETENTION.maxTasks;
  const cutoff = nowSec - maxDays * 86_400;
  const recent = archive.filter((e) => (e.end?.endtime ?? 0) >= cutoff);
  return maxTasks <= 0 ? [] : recent.slice(Math.max(0, recent.length - maxTasks));
}
