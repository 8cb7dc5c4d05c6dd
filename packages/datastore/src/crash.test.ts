import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalFsBackend } from '@pbs/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Datastore } from './datastore.js';
import { runGarbageCollection } from './gc/gc-run.js';
import { silentContext } from './operation-context.js';
import { makeScratchDir, seedSnapshot } from './testing/index.js';
import { runVerify } from './verify/verify-run.js';

/*
 * Crash consistency: a child process runs backups, prune and GC in a loop and is killed with
 * SIGKILL at random points, several times over. Afterwards the datastore must open, list
 * (unfinished snapshots as such), take a new backup, and verify every finished snapshot — also
 * after a GC far in the future, which would sweep any chunk a finished snapshot lost its mark on.
 */

const CHILD = fileURLToPath(new URL('./testing/crash-child.ts', import.meta.url));
/** the workspace root, where `--import tsx` resolves */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ITERATIONS = 6;
const START = 1_700_000_000;
const ROUND_LIMIT = 2000 * 86_400; // fake days per child: far more than it gets through before the kill
const UPID = 'UPID:node:00000001:00000001:00000001:6553F100:verify:crash:root@pam:';

let dir: string;
let base: string;
let lockDir: string;
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

function runAndKill(iteration: number): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@pbs/source',
      '--import',
      'tsx',
      CHILD,
      base,
      lockDir,
      String(iteration + 7),
      String(START + iteration * ROUND_LIMIT),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), 30 + Math.floor(random() * 400)));
    child.once('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(stderr);
      else reject(new Error(`crash child ended by itself (code ${code}): ${stderr}`));
    });
  });
}

beforeAll(async () => {
  dir = await makeScratchDir('pbs-crash-');
  base = path.join(dir, 'store');
  lockDir = path.join(dir, 'locks');
  fs.mkdirSync(path.join(base, '.chunks'), { recursive: true });
  fs.writeFileSync(path.join(base, '.lock'), '');
  for (let i = 0; i < ITERATIONS; i++) await runAndKill(i);
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('after SIGKILL at random points', () => {
  let clockSec = START + ITERATIONS * ROUND_LIMIT;
  const clock = { now: () => clockSec * 1000 };
  const open = () =>
    Datastore.open({
      name: 'crash',
      backend: new LocalFsBackend({ name: 'crash', base, syncLevel: 'none', clock }),
      lockDir,
      clock,
    });

  it('the datastore opens, lists, takes new backups and verifies every finished snapshot, also after GC', async () => {
    const ds = await open();
    const snapshots = await ds.listSnapshots('');
    expect(snapshots.length).toBeGreaterThan(0);
    for (const s of snapshots) {
      if (!s.finished) expect(s.size).toBeNull();
      else expect(s.size).toBeGreaterThan(0);
    }
    const unfinished = new Set(
      snapshots
        .filter((s) => !s.finished)
        .map((s) => `host/${s.id}/${new Date(s.time * 1000).toISOString().slice(0, 19)}Z`),
    );

    for (const id of ['a', 'fresh'])
      await seedSnapshot(ds, {
        type: 'host',
        id,
        time: clockSec,
        files: [{ name: 'root.pxar.didx', data: Buffer.from(`after the crashes ${id}`) }],
      });

    const ctx = { ...silentContext(), upid: UPID };
    const first = await runVerify(ds, ctx, { ns: '' });
    for (const failed of first.failedSnapshots) expect(unfinished).toContain(failed);
    expect(first.verifiedSnapshots).toBeGreaterThan(unfinished.size);

    clockSec += 3 * 86_400;
    await runGarbageCollection(ds, ctx);
    const again = await runVerify(await open(), ctx, { ns: '' });
    expect(again.failedSnapshots.filter((f) => !unfinished.has(f))).toEqual([]);
    const finished = (await ds.listSnapshots('')).filter((s) => s.finished);
    expect(finished.every((s) => s.verification?.state === 'ok')).toBe(true);
  });
});
