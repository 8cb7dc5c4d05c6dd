import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskStatusInfo } from '../task-info.js';
import { TaskManager, type TaskManagerOptions } from '../task-manager.js';
import { ManualClock } from './manual-clock.js';

/** 2025-07-14T16:20:02+02:00 */
export const T0 = Date.parse('2025-07-14T14:20:02Z');

/** A pstart no real process has, so a restarted manager sees this one's tasks as dead. */
export const FAKE_PSTART = 0x1234;

export interface ManagerSetup {
  logDir: string;
  clock: ManualClock;
  manager: TaskManager;
}

export async function setupManager(
  dir: string,
  opts: Partial<TaskManagerOptions> = {},
): Promise<ManagerSetup> {
  const clock = opts.clock instanceof ManualClock ? opts.clock : new ManualClock(T0);
  const logDir = join(dir, 'log', 'tasks');
  const manager = new TaskManager({
    logDir,
    node: 'pbs1',
    pid: process.pid,
    pstart: FAKE_PSTART,
    clock,
    progressIntervalMs: 0,
    ...opts,
  });
  await manager.init();
  return { logDir, clock, manager };
}

/** Follows the task to its end and returns the final status. */
export async function waitEnd(manager: TaskManager, upid: string): Promise<TaskStatusInfo> {
  for await (const event of manager.follow(upid, Number.MAX_SAFE_INTEGER)) {
    if (event.kind === 'end') return event.status;
  }
  throw new Error(`task ${upid} did not end`);
}

export async function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}
