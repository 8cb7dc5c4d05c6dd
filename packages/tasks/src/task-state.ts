/**
 * A finished task's result as PBS writes it: 'OK', 'WARNINGS: <n>', 'unknown', or the error
 * message (readers also accept an 'ERROR: ' prefix); the same text ends the log ('TASK …').
 */
import type { TaskState } from '@pbs/api-types/domain';

export type EndState = Exclude<TaskState, 'running'>;

export interface TaskEnd {
  state: EndState;
  /** PBS's status text: 'OK', 'WARNINGS: n', the error message, or 'unknown' */
  status: string;
  endtime: number;
  warnings: number;
}

/** Parses an archive/log status text; null when it is empty (PBS rejects those lines). */
export function parseStatusText(text: string, endtime: number): TaskEnd | null {
  if (text === 'unknown') return { state: 'unknown', status: text, endtime, warnings: 0 };
  if (text === 'OK') return { state: 'ok', status: text, endtime, warnings: 0 };
  const warn = /^WARNINGS: (\d+)$/.exec(text);
  if (warn) return { state: 'warning', status: text, endtime, warnings: Number(warn[1]) };
  if (text.startsWith('WARNINGS: ')) return null;
  const message = text.startsWith('ERROR: ') ? text.slice('ERROR: '.length) : text;
  if (message === '') return null;
  return { state: 'error', status: message, endtime, warnings: 0 };
}

/** One line, never empty: the archive format splits on spaces but cannot hold a newline. */
export function errorStatusText(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const oneLine = raw.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return oneLine === '' ? 'unknown error' : oneLine;
}

/** The last log line: 'TASK OK', 'TASK WARNINGS: n', 'TASK ERROR: msg', 'TASK unknown'. */
export function resultLine(end: Pick<TaskEnd, 'state' | 'status'>): string {
  return end.state === 'error' ? `TASK ERROR: ${end.status}` : `TASK ${end.status}`;
}

/**
 * Status text for the archive. An error whose message reads like another state is written with
 * the 'ERROR: ' prefix PBS's parser strips, so it cannot come back as 'OK'.
 */
export function archiveStatusText(end: Pick<TaskEnd, 'state' | 'status'>): string {
  if (end.state !== 'error') return end.status;
  const reparsed = parseStatusText(end.status, 0);
  return reparsed?.state === 'error' && reparsed.status === end.status ? end.status : `ERROR: ${end.status}`;
}
