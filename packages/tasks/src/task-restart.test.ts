import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processStartTime } from './process-start.js';
import type { TaskEvent } from './task-context.js';
import { expectAppError } from './testing/app-error.js';
import { deferred } from './testing/deferred.js';
import { ManualClock } from './testing/manual-clock.js';
import { readText, setupManager, T0, waitEnd } from './testing/manager.js';
import { useTempDirs } from './testing/temp-dir.js';
import { parseUpid, taskLogPath } from './upid.js';

process.env.TZ = 'Europe/Berlin';

const tempDir = useTempDirs();
const TIME = '2025-07-14T16:20:02+02:00';
const SEC = T0 / 1000;
const STOPPED = 'server stopped while the task was running';

describe('restart', () => {
  it('ends a task of a process that died as an error and archives it', async () => {
    const dir = await tempDir();
    const before = await setupManager(dir);
    const logged = deferred();
    const upid = await before.manager.spawn({
      type: 'backup',
      id: 'store1:vm/100',
      authId: 'root@pam',
      run: async (ctx) => {
        ctx.log('uploading');
        logged.resolve();
        await new Promise(() => undefined); // the process "dies" with the task still running
      },
    });
    await logged.promise;
    const done = await before.manager.spawn({
      type: 'prune',
      authId: 'root@pam',
      run: () => Promise.resolve(),
    });
    await waitEnd(before.manager, done);

    // same pid, another process start time: the old process is gone
    const after = await setupManager(dir, { pstart: 0x5678, clock: new ManualClock(T0 + 60_000) });
    const status = await after.manager.status(upid);
    expect(status).toMatchObject({ state: 'error', status: STOPPED, endtime: SEC + 60 });
    const later = '2025-07-14T16:21:02+02:00';
    expect(await readText(taskLogPath(after.logDir, parseUpid(upid)))).toBe(
      `${TIME}: uploading\n${later}: TASK ERROR: ${STOPPED}\n`,
    );
    expect(await readText(join(after.logDir, 'active'))).toBe('');
    const archive = await readText(join(after.logDir, 'archive'));
    expect(
      archive
        .trimEnd()
        .split('\n')
        .map((l) => l.split(' ')[0]),
    ).toEqual([done, upid]);
    expect(archive).toContain(`${upid} ${(SEC + 60).toString(16).toUpperCase()} ${STOPPED}\n`);
    const listed = await after.manager.list();
    expect(listed.items.map((i) => [i.upid, i.state])).toEqual([
      [upid, 'error'],
      [done, 'ok'],
    ]);
    // the new process can follow the old task to its end
    const events: TaskEvent[] = [];
    for await (const e of after.manager.follow(upid, 0)) events.push(e);
    expect(events.at(-1)).toMatchObject({ kind: 'end', status: { state: 'error', status: STOPPED } });
  });

  it('keeps the result of a task that finished before `active` was updated', async () => {
    const dir = await tempDir();
    const { logDir } = await setupManager(dir);
    const upid = 'UPID:pbs1:00000001:00000010:00000000:6874F6F2:gc:store1:root@pam:';
    const log = taskLogPath(logDir, parseUpid(upid));
    await mkdir(dirname(log), { recursive: true });
    await writeFile(log, `${TIME}: working\n${TIME}: TASK WARNINGS: 4\n`);
    await writeFile(join(logDir, 'active'), `${upid}\n`);
    const { manager } = await setupManager(dir, { pstart: 0x5678 });
    expect(await manager.status(upid)).toMatchObject({
      state: 'warning',
      status: 'WARNINGS: 4',
      warnings: 4,
    });
    expect(await readFile(log, 'utf8')).toBe(`${TIME}: working\n${TIME}: TASK WARNINGS: 4\n`);
    expect(await readText(join(logDir, 'archive'))).toBe(
      `${upid} ${SEC.toString(16).toUpperCase()} WARNINGS: 4\n`,
    );
  });

  it('migrates a legacy task index into the archive', async () => {
    const dir = await tempDir();
    const { logDir } = await setupManager(dir);
    const line = 'UPID:pbs1:00000001:00000010:00000000:6874F6F2:gc:store1:root@pam: 6874F700 OK\n';
    await writeFile(join(logDir, 'index'), line);
    await setupManager(dir, { pstart: 0x5678 });
    expect(await readText(join(logDir, 'archive'))).toBe(line);
    await expect(readFile(join(logDir, 'index'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('shutdown', () => {
  it('aborts running tasks, waits for their end lines and refuses new ones', async () => {
    const { logDir, manager } = await setupManager(await tempDir());
    const started = deferred();
    const upid = await manager.spawn({
      type: 'verify',
      authId: 'root@pam',
      run: async (ctx) => {
        started.resolve();
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
        ctx.log('cleaning up');
        ctx.throwIfAborted();
      },
    });
    await started.promise;
    await manager.shutdown();
    expect(manager.runningCount()).toBe(0);
    expect(await readText(taskLogPath(logDir, parseUpid(upid)))).toBe(
      `${TIME}: received abort request ...\n${TIME}: cleaning up\n${TIME}: TASK ERROR: task aborted\n`,
    );
    expect(await readText(join(logDir, 'active'))).toBe('');
    const err = await expectAppError(
      () => manager.spawn({ type: 'x', authId: 'root@pam', run: () => Promise.resolve() }),
      'BUSY',
    );
    expect(err.message).toBe('task manager is shutting down');
  });

  it('ends a task that ignores the abort once the timeout passes', async () => {
    const { logDir, manager } = await setupManager(await tempDir());
    const upid = await manager.spawn({
      type: 'stuck',
      authId: 'root@pam',
      run: () => new Promise(() => undefined),
    });
    await manager.shutdown({ timeoutMs: 1 });
    expect(await manager.status(upid)).toMatchObject({ state: 'error', status: STOPPED });
    expect((await readText(taskLogPath(logDir, parseUpid(upid)))).endsWith(`TASK ERROR: ${STOPPED}\n`)).toBe(
      true,
    );
  });
});

describe('tasks of another live process', () => {
  // pid 1 always runs; a manager that claims to be it stands in for a second server process
  const initStart = processStartTime(1);

  it.skipIf(initStart === null)(
    'are listed as running, followed by polling and cannot be stopped from here',
    async () => {
      const dir = await tempDir();
      const other = await setupManager(dir, { pid: 1, pstart: initStart ?? 0 });
      const gate = deferred();
      const logged = deferred();
      const upid = await other.manager.spawn({
        type: 'sync',
        authId: 'root@pam',
        run: async (ctx) => {
          ctx.log('from the other process');
          logged.resolve();
          await gate.promise;
          ctx.log('done there');
        },
      });
      await logged.promise;
      const here = await setupManager(dir, { pstart: 0x5678, pollIntervalMs: 5 });
      expect((await here.manager.list()).items.map((i) => [i.upid, i.state])).toEqual([[upid, 'running']]);
      expect(await here.manager.status(upid)).toMatchObject({ state: 'running' });
      expect((await here.manager.readLog(upid)).running).toBe(true);
      await expectAppError(() => here.manager.stop(upid), 'NOT_IMPLEMENTED');

      const texts: string[] = [];
      let end: TaskEvent | undefined;
      const following = (async () => {
        for await (const e of here.manager.follow(upid, 0)) {
          if (e.kind === 'log') {
            texts.push(...e.lines.map((l) => l.t));
            if (texts.length === 1) gate.resolve();
          }
          if (e.kind === 'end') end = e;
        }
      })();
      await following;
      expect(texts).toEqual([`${TIME}: from the other process`, `${TIME}: done there`, `${TIME}: TASK OK`]);
      expect(end).toMatchObject({ kind: 'end', status: { state: 'ok' } });
    },
  );
});
