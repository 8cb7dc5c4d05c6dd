import fs from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { TaskEvent } from '@pbs/api-types';
import type { TaskContext } from '@pbs/tasks';
import { ADMIN_PASSWORD, restLogin, startServer, tempDir } from './fixtures.js';
import { trpcClient } from './trpc-client.js';

function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

function untilAborted(ctx: TaskContext): Promise<void> {
  return new Promise((_resolve, reject) => {
    ctx.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  });
}

describe('tasks over HTTP', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
  });

  it('lists a task, streams its log live, stops it, and reports it ended after a restart', async () => {
    const dataDir = await tempDir();
    cleanup.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const first = await startServer({ dataDir, http: true, pstart: 1111 });
    const session = await restLogin(first, 'admin@pbs', ADMIN_PASSWORD);
    const client = trpcClient(first.url, session);

    const release = gate();
    const upid = await first.services.tasks.spawn({
      type: 'demo',
      id: 'store1:vm/100',
      authId: 'admin@pbs',
      run: async (ctx) => {
        ctx.log('line one');
        ctx.log('line two');
        await release.opened;
        ctx.log('line three');
        await untilAborted(ctx);
      },
    });

    const listed = await client.task.list.query({ running: true });
    expect(listed.items.map((t) => t.upid)).toContain(upid);

    const seen: string[] = [];
    const ended = new Promise<TaskEvent & { kind: 'end' }>((resolve, reject) => {
      const sub = client.task.follow.subscribe(
        { upid, fromLine: 0 },
        {
          onData: (event) => {
            if (event.kind === 'log') {
              seen.push(...event.lines.map((l) => l.t));
              if (seen.some((t) => t.endsWith('line two'))) release.open();
              if (seen.some((t) => t.endsWith('line three'))) void client.task.stop.mutate({ upid });
            }
            if (event.kind === 'end') {
              sub.unsubscribe();
              resolve(event);
            }
          },
          onError: reject,
        },
      );
    });
    const end = await ended;
    expect(seen.filter((t) => / line (one|two|three)$/.test(t))).toHaveLength(3);
    expect(end.status.state).toBe('error');
    expect(end.status.status).toBe('task aborted');

    const log = await client.task.log.query({ upid });
    expect(log.running).toBe(false);
    expect(log.lines.at(-1)?.t).toMatch(/TASK ERROR: task aborted$/);

    // A task still running when the process "dies": the next server start marks it ended.
    const orphan = await first.services.tasks.spawn({
      type: 'demo',
      authId: 'admin@pbs',
      run: () => new Promise<void>(() => undefined),
    });
    await first.crash();
    const second = await startServer({ dataDir, http: true, pstart: 2222 });
    cleanup.push(() => second.close());
    const client2 = trpcClient(second.url, await restLogin(second, 'admin@pbs', ADMIN_PASSWORD));
    const status = await client2.task.get.query({ upid: orphan });
    expect(status.state).toBe('error');
    expect(status.status).toMatch(/server stopped/);
    const again = await client2.task.log.query({ upid });
    expect(again.lines.map((l) => l.t)).toEqual(log.lines.map((l) => l.t));
  });
});
