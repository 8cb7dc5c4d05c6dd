import { describe, expect, it } from 'vitest';
import type { TaskEvent } from './task-context.js';
import { deferred } from './testing/deferred.js';
import { setupManager, waitEnd } from './testing/manager.js';
import { useTempDirs } from './testing/temp-dir.js';

process.env.TZ = 'Europe/Berlin';

const tempDir = useTempDirs();
const TIME = '2025-07-14T16:20:02+02:00';
const line = (n: number, text: string): { n: number; t: string } => ({ n, t: `${TIME}: ${text}` });

describe('TaskManager.follow', () => {
  it('delivers the written lines after fromLine, then live lines and progress, then end', async () => {
    const { manager } = await setupManager(await tempDir());
    const logged = deferred();
    const gate = deferred();
    const upid = await manager.spawn({
      type: 'backup',
      authId: 'root@pam',
      run: async (ctx) => {
        ctx.log('a');
        ctx.log('b');
        ctx.log('c');
        logged.resolve();
        await gate.promise;
        ctx.log('d');
        ctx.progress({ fraction: 0.5, phase: 'upload' });
      },
    });
    await logged.promise;
    const it = manager.follow(upid, 1)[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual({ kind: 'log', lines: [line(2, 'b'), line(3, 'c')] });
    gate.resolve();
    const rest: TaskEvent[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value);
    expect(rest.map((e) => e.kind)).toEqual(['log', 'progress', 'log', 'end']);
    expect(rest[0]).toEqual({ kind: 'log', lines: [line(4, 'd')] });
    expect(rest[1]).toEqual({ kind: 'progress', progress: { fraction: 0.5, phase: 'upload' } });
    expect(rest[2]).toEqual({ kind: 'log', lines: [line(5, 'TASK OK')] });
    expect(rest[3]).toMatchObject({
      kind: 'end',
      status: { upid, state: 'ok', progress: { fraction: 0.5 } },
    });
  });

  it('starts with the current progress of a running task', async () => {
    const { manager } = await setupManager(await tempDir());
    const ready = deferred();
    const gate = deferred();
    const upid = await manager.spawn({
      type: 'verify',
      authId: 'root@pam',
      run: async (ctx) => {
        ctx.progress({ itemsDone: 1, itemsTotal: 4 });
        ready.resolve();
        await gate.promise;
      },
    });
    await ready.promise;
    const it = manager.follow(upid, 0)[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual({
      kind: 'progress',
      progress: { fraction: 0.25, itemsDone: 1, itemsTotal: 4 },
    });
    gate.resolve();
    await waitEnd(manager, upid);
  });

  it('gives a finished task its remaining lines and the end', async () => {
    const { manager } = await setupManager(await tempDir());
    const upid = await manager.spawn({
      type: 'prune',
      authId: 'root@pam',
      run: async (ctx) => {
        ctx.log('x');
        ctx.warn('y');
        await Promise.resolve();
      },
    });
    await waitEnd(manager, upid);
    const events: TaskEvent[] = [];
    for await (const e of manager.follow(upid, 1)) events.push(e);
    expect(events[0]).toEqual({ kind: 'log', lines: [line(2, 'WARN: y'), line(3, 'TASK WARNINGS: 1')] });
    expect(events[1]).toMatchObject({
      kind: 'end',
      status: { upid, state: 'warning', status: 'WARNINGS: 1' },
    });
    expect(events).toHaveLength(2);
    const none: TaskEvent[] = [];
    for await (const e of manager.follow(upid, 3)) none.push(e);
    expect(none.map((e) => e.kind)).toEqual(['end']);
  });

  it('stops without an end when the signal aborts', async () => {
    const { manager } = await setupManager(await tempDir());
    const gate = deferred();
    const upid = await manager.spawn({ type: 'reader', authId: 'root@pam', run: () => gate.promise });
    const controller = new AbortController();
    const events: TaskEvent[] = [];
    const following = (async () => {
      for await (const e of manager.follow(upid, 0, controller.signal)) events.push(e);
    })();
    controller.abort();
    await following;
    expect(events).toEqual([]);
    gate.resolve();
    expect((await waitEnd(manager, upid)).state).toBe('ok');
  });

  it('lets several followers see the same live lines', async () => {
    const { manager } = await setupManager(await tempDir());
    const gate = deferred();
    const upid = await manager.spawn({
      type: 'sync',
      authId: 'root@pam',
      run: async (ctx) => {
        await gate.promise;
        ctx.log('shared');
      },
    });
    const collect = async (): Promise<string[]> => {
      const texts: string[] = [];
      for await (const e of manager.follow(upid, 0))
        if (e.kind === 'log') texts.push(...e.lines.map((l) => l.t));
      return texts;
    };
    const both = Promise.all([collect(), collect()]);
    gate.resolve();
    const [a, b] = await both;
    expect(a).toEqual([`${TIME}: shared`, `${TIME}: TASK OK`]);
    expect(b).toEqual(a);
  });
});
