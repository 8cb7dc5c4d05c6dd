import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { FileLock, withFileLock } from './index.js';

let dir: string;
let lockPath: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbs-lock-'));
  lockPath = path.join(dir, 'run', '.user.lck');
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Another process holding the flock until its stdin closes. */
async function holdInChild(file: string, mode: 'exnb' | 'shnb'): Promise<ChildProcess> {
  const script = `
    const fs = require('node:fs');
    const fsExt = require('fs-ext');
    const fd = fs.openSync(${JSON.stringify(file)}, 'a');
    fsExt.flockSync(fd, ${JSON.stringify(mode)});
    process.stdout.write('locked\\n');
    process.stdin.resume();
    process.stdin.on('end', () => process.exit(0));
  `;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: path.resolve(import.meta.dirname, '../../..'),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const stdout = child.stdout;
  if (!stdout) throw new Error('child has no stdout');
  await once(stdout, 'data');
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.stdin?.end();
  await exited;
}

describe('FileLock', () => {
  it('creates the lock file (and its directory) with mode 0600', async () => {
    const lock = await FileLock.acquire(lockPath);
    expect(fs.statSync(lockPath).mode & 0o777).toBe(0o600);
    lock.release();
    lock.release();
  });

  it('a second exclusive holder times out with BUSY until the first releases', async () => {
    const first = await FileLock.acquire(lockPath, { exclusive: true });
    await expect(FileLock.acquire(lockPath, { timeoutMs: 30 })).rejects.toMatchObject({
      code: 'BUSY',
      message: `lock '${lockPath}' is held by another process`,
    });
    first.release();
    const second = await FileLock.acquire(lockPath, { timeoutMs: 0 });
    second.release();
  });

  it('shared holders coexist; an exclusive one waits for all of them', async () => {
    const a = await FileLock.acquire(lockPath, { exclusive: false });
    const b = await FileLock.acquire(lockPath, { exclusive: false, timeoutMs: 0 });
    await expect(FileLock.acquire(lockPath, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'BUSY' });
    const pending = FileLock.acquire(lockPath, { timeoutMs: 5000 });
    a.release();
    b.release();
    (await pending).release();
  });

  it('queues waiters in arrival order', async () => {
    const first = await FileLock.acquire(lockPath);
    const order: string[] = [];
    const waiters = ['w1', 'w2', 'w3'].map((name) =>
      withFileLock(lockPath, { timeoutMs: 5000 }, () => {
        order.push(name);
        return Promise.resolve();
      }),
    );
    first.release();
    await Promise.all(waiters);
    expect(order).toEqual(['w1', 'w2', 'w3']);
  });

  it('is excluded by a flock held in another process, and gets it once that process lets go', async () => {
    fs.mkdirSync(path.dirname(lockPath), { recursive: true });
    const child = await holdInChild(lockPath, 'exnb');
    try {
      await expect(FileLock.acquire(lockPath, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'BUSY' });
      await expect(FileLock.acquire(lockPath, { exclusive: false, timeoutMs: 50 })).rejects.toMatchObject({
        code: 'BUSY',
      });
    } finally {
      await stopChild(child);
    }
    const lock = await FileLock.acquire(lockPath, { timeoutMs: 5000 });
    lock.release();
  });

  it('shares with a shared holder in another process', async () => {
    fs.mkdirSync(path.dirname(lockPath), { recursive: true });
    const child = await holdInChild(lockPath, 'shnb');
    try {
      const shared = await FileLock.acquire(lockPath, { exclusive: false, timeoutMs: 0 });
      shared.release();
      await expect(FileLock.acquire(lockPath, { timeoutMs: 30 })).rejects.toMatchObject({ code: 'BUSY' });
    } finally {
      await stopChild(child);
    }
  });
});

describe('withFileLock', () => {
  it('serializes critical sections and releases when fn throws', async () => {
    let inside = 0;
    let maxInside = 0;
    const section = async () => {
      inside++;
      maxInside = Math.max(maxInside, inside);
      await new Promise<void>((resolve) => setImmediate(resolve));
      inside--;
    };
    await Promise.all(Array.from({ length: 5 }, () => withFileLock(lockPath, {}, section)));
    expect(maxInside).toBe(1);

    await expect(withFileLock(lockPath, {}, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const again = await FileLock.acquire(lockPath, { timeoutMs: 0 });
    again.release();
  });
});
