/*
 * Test fixture: a virtual tape library with N empty tapes in a scratch directory, the state
 * directory (inventory, catalogs) next to it, and a context that records the log.
 */
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createVirtualTape } from '../drive/virtual-tape.js';
import type { TapeContext, TapeDevice } from '../ops/context.js';
import { virtualDevice } from '../ops/context.js';
import { Inventory } from '../state/inventory.js';

export interface TapeFixture {
  dir: string;
  tapeDir: string;
  stateDir: string;
  device: TapeDevice;
  inventory: Inventory;
  ctx: TapeContext & { lines: string[]; warnings: string[]; clock: { sec: number } };
  cleanup(): Promise<void>;
}

export function recordingContext(startSec = 1_700_000_000): TapeFixture['ctx'] {
  const lines: string[] = [];
  const warnings: string[] = [];
  const clock = { sec: startSec };
  return {
    signal: new AbortController().signal,
    log: (m) => lines.push(m),
    warn: (m) => warnings.push(m),
    progress: () => undefined,
    nowSec: () => clock.sec,
    lines,
    warnings,
    clock,
  };
}

export async function makeTapeFixture(
  opts: {
    labels?: string[];
    maxSize?: number;
    slots?: number;
    exportSlots?: number[];
  } = {},
): Promise<TapeFixture> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pbs-tape-'));
  const tapeDir = path.join(dir, 'library');
  const stateDir = path.join(dir, 'state');
  await fsp.mkdir(tapeDir, { recursive: true });
  for (const label of opts.labels ?? []) await createVirtualTape(tapeDir, label);
  const device = virtualDevice({
    driveName: 'drive0',
    dir: tapeDir,
    maxSize: opts.maxSize,
    changer: { name: 'changer0', slots: opts.slots ?? 8, exportSlots: opts.exportSlots ?? [] },
  });
  return {
    dir,
    tapeDir,
    stateDir,
    device,
    inventory: await Inventory.load(stateDir),
    ctx: recordingContext(),
    cleanup: () => fsp.rm(dir, { recursive: true, force: true }),
  };
}
