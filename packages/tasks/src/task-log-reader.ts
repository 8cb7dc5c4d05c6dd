/**
 * Reading task logs: whole-file line access for the log API, and the final state from the
 * tail, as proxmox-rest-server's upid_read_status does it.
 */
import { open, readFile } from 'node:fs/promises';
import { parseLogTime } from './log-time.js';
import { parseStatusText, type TaskEnd } from './task-state.js';

/**
 * All lines of a log without their newlines; null when the file does not exist. With
 * `completeOnly`, a last line still being written by another process is left out.
 */
export async function readLogLines(path: string, completeOnly = false): Promise<string[] | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '' || completeOnly) lines.pop();
  return lines;
}

const TAIL_BYTES = 8192;

export interface LogTail {
  /** the result of a final 'TASK …' line, when the last timestamped line is one */
  result: TaskEnd | null;
  /** time of the last timestamped line */
  lastTime: number | null;
  /** the file is empty or ends with a newline, so a line can be appended as is */
  complete: boolean;
}

/**
 * Scans the last 8 KiB for the last line that starts with a timestamp, as proxmox-rest-server's
 * upid_read_status does. Null when the file does not exist.
 */
export async function readLogTail(path: string): Promise<LogTail | null> {
  let tail: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const start = Math.max(0, size - TAIL_BYTES);
      tail = Buffer.alloc(size - start);
      await handle.read(tail, 0, tail.length, start);
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const complete = tail.length === 0 || tail[tail.length - 1] === 0x0a;
  const lines = tail.toString('utf8').replace(/\n+$/, '').split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const found = scanLine(lines[i] ?? '');
    if (found) return { ...found, complete };
  }
  return { result: null, lastTime: null, complete };
}

function scanLine(line: string): Omit<LogTail, 'complete'> | null {
  const sep = line.indexOf(': ');
  if (sep < 0) return null;
  const time = parseLogTime(line.slice(0, sep));
  if (time === null) return null;
  const rest = line.slice(sep + 2);
  if (!rest.startsWith('TASK ')) return { result: null, lastTime: time };
  // An unparseable 'TASK …' line is skipped like PBS does, looking further up.
  const result = parseStatusText(rest.slice('TASK '.length), time);
  return result ? { result, lastTime: time } : null;
}

/** A log without a result line ended 'unknown' at its last line (or its start). */
export function tailEnd(tail: LogTail, startTime: number): TaskEnd {
  return (
    tail.result ?? { state: 'unknown', status: 'unknown', endtime: tail.lastTime ?? startTime, warnings: 0 }
  );
}
