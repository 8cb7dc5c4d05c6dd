import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FileLock } from '@pbs/config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProcessLocker } from './process-locker.js';

let dir: string;
let lockFile: string;
let locker: ProcessLocker;
let children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pbs-locker-'));
  lockFile = path.join(dir, '.lock');
  fs.writeFileSync(lockFile, '');
  locker = new ProcessLocker(lockFile, path.join(dir, 'locks', '.gc-guard'));
});

afterEach(async () => {
  // flock runs the shell as its child: kill the whole process group
  for (const child of children) if (child.pid) process.kill(-child.pid, 'SIGKILL');
  children = [];
  await fsp.rm(dir, { recursive: true, force: true });
});

/** another process holding flock on the file until killed (resolves once it holds it) */
function holdInOtherProcess(file: string, mode: '-s' | '-x'): Promise<void> {
  const child = spawn('flock', [mode, file, '-c', 'echo locked; exec sleep 60'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('error', reject);
  });
}

/** whether another process could take the lock right now (flock -n) */
function otherProcessCan(file: string, mode: '-s' | '-x'): boolean {
  return spawnSync('flock', ['-n', mode, file, 'true']).status === 0;
}

const busy = { name: 'AppError', code: 'BUSY' };

describe('ProcessLocker (the .lock of §1.6a)', () => {
  it('lets GC run beside this process’s writers and reports the oldest writer', async () => {
    const a = await locker.acquireShared(100);
    const b = await locker.acquireShared(50);
    expect(locker.oldestShared()).toBe(50);
    const gc = await locker.acquireExclusive();
    const c = await locker.acquireShared(200); // a backup may start while GC runs
    expect(locker.sharedCount).toBe(3);
    await b.release();
    expect(locker.oldestShared()).toBe(100);
    await gc.release();
    await a.release();
    await c.release();
    expect(locker.oldestShared()).toBeUndefined();
    expect(otherProcessCan(lockFile, '-x')).toBe(true); // nothing is held anymore
  });

  it('refuses a second exclusive holder in the same process', async () => {
    const gc = await locker.acquireExclusive();
    await expect(locker.acquireExclusive()).rejects.toMatchObject(busy);
    await gc.release();
  });

  it('refuses GC while another process holds the lock shared, and keeps the writers’ lock', async () => {
    const writer = await locker.acquireShared(1);
    await holdInOtherProcess(lockFile, '-s');
    await expect(locker.acquireExclusive()).rejects.toMatchObject(busy);
    // the failed conversion must not have dropped this process's shared lock
    await expect(FileLock.acquire(lockFile, { exclusive: true, timeoutMs: 0 })).rejects.toMatchObject(busy);
    await writer.release();
  });

  it('refuses writers while another process runs GC (holds it exclusively)', async () => {
    await holdInOtherProcess(lockFile, '-x');
    await expect(locker.acquireShared(1)).rejects.toMatchObject(busy);
    expect(locker.sharedCount).toBe(0);
  });

  it('converts back to shared when GC ends while writers remain', async () => {
    const writer = await locker.acquireShared(1);
    const gc = await locker.acquireExclusive();
    expect(otherProcessCan(lockFile, '-s')).toBe(false);
    await gc.release();
    expect(otherProcessCan(lockFile, '-s')).toBe(true);
    expect(otherProcessCan(lockFile, '-x')).toBe(false);
    await writer.release();
    expect(otherProcessCan(lockFile, '-x')).toBe(true);
  });
});
