/**
 * Process identity as UPIDs record it: pid plus start time in clock ticks since boot
 * (`/proc/<pid>/stat` field 22). A pid alone is not enough because pids are reused.
 */
import { readFileSync } from 'node:fs';

/** Field 22 of /proc/<pid>/stat, or null when the process does not exist. */
export function processStartTime(pid: number = process.pid): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and ')', so count fields after the last ')'.
  const rest = stat
    .slice(stat.lastIndexOf(')') + 1)
    .trim()
    .split(/\s+/);
  const value = Number(rest[19]);
  return Number.isSafeInteger(value) ? value : null;
}

export function isProcessRunning(pid: number, pstart: number): boolean {
  return processStartTime(pid) === pstart;
}
