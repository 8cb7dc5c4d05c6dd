import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UPID_REGEX } from '@pbs/api-types/domain';
import { expectAppError } from './testing/app-error.js';
import { deferred } from './testing/deferred.js';
import { readText, setupManager, T0, waitEnd } from './testing/manager.js';
import { useTempDirs } from './testing/temp-dir.js';
import { parseUpid, taskLogPath } from './upid.js';

process.env.TZ = 'Europe/Berlin';

const tempDir = useTempDirs();
const TIME = '2025-07-14T16:20:02+02:00';
const SEC = T0 / 1000;
const hex = (sec: number): string => sec.toString(16).toUpperCase().padStart(8, '0');

describe('TaskManager task lifecycle', () => {
  it('registers a task before run() continues and archives it with TASK OK', async () => {
    const { logDir, clock, manager } = await setupManager(await tempDir());
    const gate = deferred();
    const upid = await manager.spawn({
      type: 'backup',
      id: 'store1:vm/100',
      authId: 'root@pam',
      run: async (ctx) => {
        ctx.log('starting backup');
        await gate.promise;
        ctx.log('first line\nsecond line');
      },
    });
    expect(upid).toMatch(UPID_REGEX);
    expect(upid).toMatch(
      /^UPID:pbs1:[0-9A-F]{8}:00001234:00000000:[0-9A-F]{8}:backup:store1\\x3avm-100:root@pam:$/,
    );
    expect(await readText(join(logDir, 'active'))).toBe(`${upid}\n`);
    expect((await stat(join(logDir, 'active'))).mode & 0o777).toBe(0o660);
    expect(manager.runningCount()).toBe(1);
    expect(await manager.status(upid)).toMatchObject({
      state: 'running',
      worker_type: 'backup',
      worker_id: 'store1:vm/100',
      user: 'root@pam',
      starttime: SEC,
    });

    clock.advance(5000);
    gate.resolve();
    const status = await waitEnd(manager, upid);
    expect(status).toMatchObject({ state: 'ok', status: 'OK', endtime: SEC + 5, warnings: 0 });
    const later = '2025-07-14T16:20:07+02:00';
    expect(await readText(taskLogPath(logDir, parseUpid(upid)))).toBe(
      `${TIME}: starting backup\n${later}: first line\n${later}: second line\n${later}: TASK OK\n`,
    );
    expect(await readText(join(logDir, 'active'))).toBe('');
    expect(await readText(join(logDir, 'archive'))).toBe(`${upid} ${hex(SEC + 5)} OK\n`);
    expect(manager.runningCount()).toBe(0);
  });

  it('ends with TASK WARNINGS: n when the task warned', async () => {
    const { logDir, manager } = await setupManager(await tempDir());
    const upid = await manager.spawn({
      type: 'verify',
      authId: 'admin@pbs',
      run: async (ctx) => {
        ctx.warn('chunk 0a1b missing');
        ctx.log('going on');
        ctx.warn('two\nlines');
        await Promise.resolve();
      },
    });
    const status = await waitEnd(manager, upid);
    expect(status).toMatchObject({ state: 'warning', status: 'WARNINGS: 2', warnings: 2, worker_id: null });
    expect(await readText(taskLogPath(logDir, parseUpid(upid)))).toBe(
      [`WARN: chunk 0a1b missing`, 'going on', 'WARN: two', 'WARN: lines', 'TASK WARNINGS: 2', '']
        .map((l) => (l ? `${TIME}: ${l}` : ''))
        .join('\n'),
    );
    expect(await readText(join(logDir, 'archive'))).toBe(`${upid} ${hex(SEC)} WARNINGS: 2\n`);
    // a new status read from disk reports the same
    expect(await manager.status(upid)).toMatchObject({ state: 'warning', warnings: 2 });
  });

  it('ends with TASK ERROR: <message> when run() throws', async () => {
    const { logDir, manager } = await setupManager(await tempDir());
    const upid = await manager.spawn({
      type: 'garbage_collection',
      id: 'store1',
      authId: 'root@pam',
      run: () => Promise.reject(new Error('disk on fire\nreally')),
    });
    expect(await waitEnd(manager, upid)).toMatchObject({ state: 'error', status: 'disk on fire really' });
    const log = await readText(taskLogPath(logDir, parseUpid(upid)));
    expect(log).toBe(`${TIME}: TASK ERROR: disk on fire really\n`);
    expect(await readText(join(logDir, 'archive'))).toMatch(/ disk on fire really\n$/);
  });

  it('aborts through the signal on stop() and ends with TASK ERROR: task aborted', async () => {
    const { logDir, manager } = await setupManager(await tempDir());
    const started = deferred();
    const upid = await manager.spawn({
      type: 'sync',
      authId: 'root@pam',
      run: async (ctx) => {
        started.resolve();
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
        ctx.throwIfAborted();
      },
    });
    await started.promise;
    await manager.stop(upid);
    expect(await waitEnd(manager, upid)).toMatchObject({ state: 'error', status: 'task aborted' });
    expect(await readText(taskLogPath(logDir, parseUpid(upid)))).toBe(
      `${TIME}: received abort request ...\n${TIME}: TASK ERROR: task aborted\n`,
    );
    const err = await expectAppError(() => manager.stop(upid), 'INVALID_ARGUMENT');
    expect(err.message).toBe(`task '${upid}' is not running`);
  });

  it('answers NOT_FOUND for unknown tasks and INVALID_ARGUMENT for malformed ids', async () => {
    const { manager } = await setupManager(await tempDir());
    const unknown = 'UPID:pbs1:00000001:00001234:00000099:5CA78B83:backup::root@pam:';
    const err = await expectAppError(() => manager.status(unknown), 'NOT_FOUND');
    expect(err.message).toBe(`task '${unknown}': not found`);
    await expectAppError(() => manager.readLog(unknown), 'NOT_FOUND');
    await expectAppError(() => manager.stop(unknown), 'NOT_FOUND');
    await expectAppError(() => manager.follow(unknown, 0)[Symbol.asyncIterator]().next(), 'NOT_FOUND');
    await expectAppError(() => manager.status('UPID:nope'), 'INVALID_ARGUMENT');
  });

  it('rejects worker types and auth ids that would break the UPID', async () => {
    const { manager } = await setupManager(await tempDir());
    const run = (): Promise<void> => Promise.resolve();
    await expectAppError(() => manager.spawn({ type: 'a:b', authId: 'root@pam', run }), 'INVALID_ARGUMENT');
    await expectAppError(() => manager.spawn({ type: 'a b', authId: 'root@pam', run }), 'INVALID_ARGUMENT');
    await expectAppError(
      () => manager.spawn({ type: 'backup', authId: 'root/pam', run }),
      'INVALID_ARGUMENT',
    );
    // escaping makes ':' four characters long; the API accepts UPIDs of up to 512
    const long = ':'.repeat(120);
    await expectAppError(
      () => manager.spawn({ type: 'x', id: long, authId: 'root@pam', run }),
      'INVALID_ARGUMENT',
    );
    expect(manager.runningCount()).toBe(0);
  });

  it('calls onEnd with the recorded final status, after the task left `active`', async () => {
    const { logDir, manager } = await setupManager(await tempDir());
    const seen = deferred<{ status: string | undefined; active: string }>();
    await manager.spawn({
      type: 'demo',
      authId: 'root@pam',
      run: (ctx) => {
        ctx.warn('careful');
        return Promise.resolve();
      },
      onEnd: async (status) => {
        seen.resolve({ status: status.status, active: await readText(join(logDir, 'active')) });
      },
    });
    expect(await seen.promise).toEqual({ status: 'WARNINGS: 1', active: '' });
  });

  it('numbers tasks of one process from 0', async () => {
    const { manager } = await setupManager(await tempDir());
    const run = (): Promise<void> => Promise.resolve();
    const a = await manager.spawn({ type: 'x', authId: 'root@pam', run });
    const b = await manager.spawn({ type: 'x', authId: 'root@pam', run });
    expect([parseUpid(a).taskId, parseUpid(b).taskId]).toEqual([0, 1]);
    await Promise.all([waitEnd(manager, a), waitEnd(manager, b)]);
  });
});

describe('TaskManager.readLog', () => {
  it('pages by line with 1-based numbers and reports the total', async () => {
    const { manager } = await setupManager(await tempDir());
    const upid = await manager.spawn({
      type: 'prune',
      authId: 'root@pam',
      run: async (ctx) => {
        for (let i = 1; i <= 5; i++) ctx.log(`line ${i}`);
        await Promise.resolve();
      },
    });
    await waitEnd(manager, upid);
    const page = await manager.readLog(upid, 2, 2);
    expect(page).toEqual({
      lines: [
        { n: 3, t: `${TIME}: line 3` },
        { n: 4, t: `${TIME}: line 4` },
      ],
      total: 6,
      running: false,
    });
    expect((await manager.readLog(upid)).lines.map((l) => l.n)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await manager.readLog(upid, 5, 10)).lines).toEqual([{ n: 6, t: `${TIME}: TASK OK` }]);
    expect((await manager.readLog(upid, 9)).lines).toEqual([]);
  });

  it('shows a running task every line logged so far', async () => {
    const { manager } = await setupManager(await tempDir());
    const logged = deferred();
    const gate = deferred();
    const upid = await manager.spawn({
      type: 'reader',
      authId: 'root@pam',
      run: async (ctx) => {
        ctx.log('one');
        ctx.log('two');
        logged.resolve();
        await gate.promise;
      },
    });
    await logged.promise;
    expect(await manager.readLog(upid)).toEqual({
      lines: [
        { n: 1, t: `${TIME}: one` },
        { n: 2, t: `${TIME}: two` },
      ],
      total: 2,
      running: true,
    });
    gate.resolve();
    await waitEnd(manager, upid);
  });
});
