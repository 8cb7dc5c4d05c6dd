import { AppError } from '@pbs/api-types/errors';
import type { HttpClient } from '../http/http-client.js';

/*
 * Following a server task to its end (pbs-client view_task_result / display_task_log): the log
 * lines as they come (GET /nodes/localhost/tasks/{upid}/log?start=N), then the exit status;
 * a task that did not end "OK" (or with warnings) is an error naming its status.
 */

interface LogLine {
  readonly n: number;
  readonly t: string;
}

interface TaskStatus {
  readonly status: 'running' | 'stopped';
  readonly exitstatus?: string;
}

export async function followTask(
  client: HttpClient,
  upid: string,
  onLine: (line: string) => void,
  opts: { pollMs?: number; signal?: AbortSignal } = {},
): Promise<string> {
  const base = `/nodes/localhost/tasks/${encodeURIComponent(upid)}`;
  let start = 0;
  for (;;) {
    opts.signal?.throwIfAborted();
    const status = (await client.get(`${base}/status`)) as TaskStatus;
    const lines = ((await client.get(`${base}/log`, { start, limit: 500 })) ?? []) as LogLine[];
    for (const line of lines) onLine(line.t);
    start += lines.length;
    if (lines.length === 500) continue;
    if (status.status === 'stopped') {
      const exit = status.exitstatus ?? 'unknown';
      if (exit !== 'OK' && !exit.startsWith('WARNINGS'))
        throw new AppError('INTERNAL', `task failed (status ${exit})`);
      return exit;
    }
    await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 500));
  }
}
