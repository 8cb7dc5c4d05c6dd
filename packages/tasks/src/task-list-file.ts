/**
 * Lines of `tasks/active` (`<UPID>`) and `tasks/archive` (`<UPID> <endtime %08X> <status>`),
 * parsed as proxmox-rest-server's parse_worker_status_line does; bad lines are skipped.
 */
import { readFile } from 'node:fs/promises';
import { parseUpid, type Upid } from './upid.js';
import { archiveStatusText, parseStatusText, type TaskEnd } from './task-state.js';

export interface TaskListEntry {
  upidStr: string;
  upid: Upid;
  /** absent while the task runs */
  end?: TaskEnd;
}

export function parseTaskListLine(line: string): TaskListEntry | null {
  const first = line.indexOf(' ');
  try {
    if (first < 0) return line === '' ? null : { upidStr: line, upid: parseUpid(line) };
    const second = line.indexOf(' ', first + 1);
    if (second < 0) return null;
    const upidStr = line.slice(0, first);
    const endHex = line.slice(first + 1, second);
    if (!/^-?[0-9A-Fa-f]+$/.test(endHex)) return null;
    const end = parseStatusText(line.slice(second + 1), parseInt(endHex, 16));
    return end ? { upidStr, upid: parseUpid(upidStr), end } : null;
  } catch {
    return null;
  }
}

export function renderTaskListLine(entry: Pick<TaskListEntry, 'upidStr' | 'end'>): string {
  if (!entry.end) return `${entry.upidStr}\n`;
  const endHex = entry.end.endtime.toString(16).toUpperCase().padStart(8, '0');
  return `${entry.upidStr} ${endHex} ${archiveStatusText(entry.end)}\n`;
}

export function parseTaskList(text: string): TaskListEntry[] {
  const out: TaskListEntry[] = [];
  for (const line of text.split('\n')) {
    const entry = parseTaskListLine(line);
    if (entry) out.push(entry);
  }
  return out;
}

/** A missing file is an empty list. */
export async function readTaskList(path: string): Promise<TaskListEntry[]> {
  try {
    return parseTaskList(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
