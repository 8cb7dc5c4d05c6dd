import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import fsExt from 'fs-ext';
import { AppError } from '@pbs/api-types/errors';
import { ProcessGate } from './process-gate.js';

/*
 * flock(2) on a lock file, like PBS's open_backup_lockfile: attempts are non-blocking and
 * retried with a short backoff until the timeout, so the event loop never blocks in the kernel.
 * After locking, the path is checked to still name the locked inode (a lock file removed and
 * recreated meanwhile would otherwise give two holders).
 */

export interface FileLockOptions {
  /** exclusive (default) or shared */
  exclusive?: boolean;
  /** give up after this many milliseconds (default 10 s); 0 means a single attempt */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 100;
const gates = new Map<string, ProcessGate>();

function busy(lockPath: string): AppError {
  return new AppError('BUSY', `lock '${lockPath}' is held by another process`, {
    details: { path: lockPath },
  });
}

function isWouldBlock(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}

function gateFor(key: string): ProcessGate {
  let gate = gates.get(key);
  if (!gate) {
    gate = new ProcessGate();
    gates.set(key, gate);
  }
  return gate;
}

function releaseGate(key: string, exclusive: boolean): void {
  const gate = gates.get(key);
  if (!gate) return;
  gate.leave(exclusive);
  if (gate.idle) gates.delete(key);
}

function openLockFile(lockPath: string): number {
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  return fs.openSync(lockPath, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
}

/** One non-blocking attempt: the locked fd, or undefined if someone else holds the lock. */
function tryFlock(lockPath: string, exclusive: boolean): number | undefined {
  const fd = openLockFile(lockPath);
  try {
    fsExt.flockSync(fd, exclusive ? 'exnb' : 'shnb');
  } catch (err) {
    fs.closeSync(fd);
    if (isWouldBlock(err)) return undefined;
    throw err;
  }
  const sameFile = (() => {
    try {
      return fs.fstatSync(fd).ino === fs.statSync(lockPath).ino;
    } catch {
      return false;
    }
  })();
  if (sameFile) return fd;
  fs.closeSync(fd);
  return tryFlock(lockPath, exclusive);
}

async function flockWithRetry(lockPath: string, exclusive: boolean, deadline: number): Promise<number> {
  let backoff = 5;
  for (;;) {
    const fd = tryFlock(lockPath, exclusive);
    if (fd !== undefined) return fd;
    const remaining = deadline - performance.now();
    if (remaining <= 0) throw busy(lockPath);
    await delay(Math.min(backoff, remaining));
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
}

async function waitForGate(key: string, exclusive: boolean, timeoutMs: number): Promise<boolean> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await gateFor(key).enter(exclusive, controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

/** A held lock; release it exactly once (further calls do nothing). */
export class FileLock {
  private fd: number | undefined;

  private constructor(
    private readonly key: string,
    private readonly exclusive: boolean,
    fd: number,
  ) {
    this.fd = fd;
  }

  static async acquire(lockPath: string, opts: FileLockOptions = {}): Promise<FileLock> {
    const exclusive = opts.exclusive ?? true;
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const key = path.resolve(lockPath);
    const deadline = performance.now() + timeoutMs;
    const granted = await waitForGate(key, exclusive, timeoutMs);
    if (!granted) throw busy(lockPath);
    try {
      return new FileLock(key, exclusive, await flockWithRetry(key, exclusive, deadline));
    } catch (err) {
      releaseGate(key, exclusive);
      throw err;
    }
  }

  release(): void {
    const fd = this.fd;
    if (fd === undefined) return;
    this.fd = undefined;
    try {
      fsExt.flockSync(fd, 'un');
    } finally {
      fs.closeSync(fd);
      releaseGate(this.key, this.exclusive);
    }
  }
}

/** Runs `fn` while holding the lock; the lock is released however `fn` ends. */
export async function withFileLock<R>(
  lockPath: string,
  opts: FileLockOptions,
  fn: () => Promise<R>,
): Promise<R> {
  const lock = await FileLock.acquire(lockPath, opts);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
