import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AccessControl, type AccessControlOptions } from '../access-control.js';

/** 2025-01-01T00:00:00Z: a fixed start for the injected clock. */
export const T0_MS = Date.UTC(2025, 0, 1);

export interface AccessFixture {
  access: AccessControl;
  etcDir: string;
  clock: { now: () => number; advanceSec: (sec: number) => void; sec: () => number };
  read: (name: string) => string;
  mode: (name: string) => number;
  cleanup: () => void;
}

/** A fresh AccessControl on a temp etc dir with a manual clock. */
export async function openAccess(opts: Partial<AccessControlOptions> = {}): Promise<AccessFixture> {
  const etcDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbs-access-'));
  let nowMs = T0_MS;
  const clock = {
    now: () => nowMs,
    advanceSec: (sec: number) => {
      nowMs += sec * 1000;
    },
    sec: () => Math.floor(nowMs / 1000),
  };
  const access = await AccessControl.open({ etcDir, now: clock.now, ...opts });
  return {
    access,
    etcDir,
    clock,
    read: (name) => fs.readFileSync(path.join(etcDir, name), 'utf8'),
    mode: (name) => fs.statSync(path.join(etcDir, name)).mode & 0o777,
    cleanup: () => fs.rmSync(etcDir, { recursive: true, force: true }),
  };
}

/** Expects `promise` to reject with an AppError of `code`; returns the error for further checks. */
export async function rejection(
  promise: Promise<unknown>,
  code: string,
): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code: string; message: string; details?: Record<string, unknown> };
    if (e.code !== code) throw new Error(`expected ${code}, got ${e.code}: ${e.message}`, { cause: err });
    return e;
  }
  throw new Error(`expected a rejection with ${code}`);
}
