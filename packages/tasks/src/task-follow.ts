/**
 * Following a task's log: the lines after `fromLine` that are already written, then live
 * events. Tasks of this process are followed through their listeners; tasks of another live
 * process by re-reading their log; finished tasks just end.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { EventQueue } from './event-queue.js';
import type { RunningTask } from './running-task.js';
import type { TaskEvent, TaskLogLine } from './task-context.js';
import type { TaskStatusInfo } from './task-info.js';
import { readLogLines } from './task-log-reader.js';

const BATCH = 500;

export function* lineBatches(lines: string[], fromLine: number, upto = lines.length): Generator<TaskEvent> {
  for (let i = fromLine; i < upto; i += BATCH) {
    const batch: TaskLogLine[] = lines
      .slice(i, Math.min(upto, i + BATCH))
      .map((t, k) => ({ n: i + k + 1, t }));
    yield { kind: 'log', lines: batch };
  }
}

/**
 * Subscribes before reading the file, so no line can fall between the file and the live events;
 * lines numbered at or below what was already delivered are dropped from the live stream.
 */
export async function* followOwn(
  task: RunningTask,
  path: string,
  fromLine: number,
  signal?: AbortSignal,
): AsyncGenerator<TaskEvent> {
  const queue = new EventQueue();
  const unsubscribe = task.subscribe((event) => queue.push(event));
  try {
    // Snapshot together with subscribing: what changes later arrives through the queue.
    const upto = task.writer.lineCount;
    const progress = task.progress.current();
    if (upto > fromLine) {
      await task.writer.flush();
      yield* lineBatches((await readLogLines(path)) ?? [], fromLine, upto);
    }
    let delivered = Math.max(fromLine, upto);
    if (progress) yield { kind: 'progress', progress };
    for (;;) {
      const event = await queue.next(signal);
      if (!event) return;
      if (event.kind === 'log') {
        const lines = event.lines.filter((l) => l.n > delivered);
        if (lines.length === 0) continue;
        delivered = lines.at(-1)?.n ?? delivered;
        yield { kind: 'log', lines };
        continue;
      }
      yield event;
      if (event.kind === 'end') return;
    }
  } finally {
    unsubscribe();
  }
}

export interface ForeignFollowDeps {
  path: string;
  status: () => Promise<TaskStatusInfo>;
  pollIntervalMs: number;
}

/** Another process writes this log: poll it until that task is no longer running. */
export async function* followByPolling(
  deps: ForeignFollowDeps,
  fromLine: number,
  signal?: AbortSignal,
): AsyncGenerator<TaskEvent> {
  let delivered = fromLine;
  for (;;) {
    const status = await deps.status();
    const finished = status.state !== 'running';
    // Once finished, the log is complete and a last line without newline is still delivered.
    const lines = (await readLogLines(deps.path, !finished)) ?? [];
    yield* lineBatches(lines, delivered);
    delivered = Math.max(delivered, lines.length);
    if (finished) {
      yield { kind: 'end', status };
      return;
    }
    try {
      await delay(deps.pollIntervalMs, undefined, { signal, ref: false });
    } catch {
      return;
    }
  }
}
