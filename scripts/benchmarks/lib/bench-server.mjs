// What the end-to-end benchmarks (ingest, sync) share: the shared data set (generated once per
// size, reused while unmutated) and real servers started from apps/bff's build on loopback,
// each with its own data dir and default datastore 'local'.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { log } from './util.mjs';

const execFileP = promisify(execFile);

/** admin@pbs's password on the benchmark servers (loopback only, thrown away after the run) */
export const BENCH_PASSWORD = 'bench-admin-password-not-secret';

/** Runs ../shared/bench/gen-dataset.mjs with --json and returns its last JSON line. */
export async function gen(opts, ...args) {
  const { stdout } = await execFileP(
    process.execPath,
    [path.join(opts.sharedDir, 'gen-dataset.mjs'), ...args, '--json'],
    { env: { ...process.env, SIZE_MB: String(opts.sizeMb) }, maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').pop());
}

/** The base data set of this size (regenerated when it is missing, mutated or another size). */
export async function baseDataset(opts) {
  const marker = path.join(opts.dataset, '.pbs-bench-dataset.json');
  try {
    const m = JSON.parse(fs.readFileSync(marker, 'utf8'));
    if (m.size_mb === opts.sizeMb && m.state === 'base') return gen(opts, 'summary', opts.dataset);
  } catch {
    // none yet
  }
  log(`generating the base data set in ${opts.dataset} (SIZE_MB=${opts.sizeMb})`);
  return gen(opts, 'gen', opts.dataset);
}

/**
 * Starts the built server on 127.0.0.1 and a free port. `ready` resolves with where it listens
 * and its certificate fingerprint (both read from what it prints at start).
 */
export function startServer(opts, dataDir) {
  const main = path.join(opts.root, 'apps', 'bff', 'dist', 'src', 'main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: build apps/bff (npx tsc -b apps/bff)`);
  const child = spawn(
    process.execPath,
    [main, '--listen', '127.0.0.1', '--port', '0', '--data-dir', dataDir],
    {
      env: {
        ...process.env,
        PBS_DEFAULT_DATASTORE: 'local',
        PBS_ADMIN_PASSWORD: BENCH_PASSWORD,
        PBS_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const onData = (data) => {
      output += data.toString();
      const url = /listening on https:\/\/([^\s/]+)/.exec(output);
      const fp = /certificate fingerprint: ([0-9a-fA-F:]+)/.exec(output);
      if (url && fp) {
        const [host, port] = url[1].split(/:(?=\d+$)/);
        resolve({ hostPort: url[1], host, port: Number(port), fingerprint: fp[1].toLowerCase() });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
  return { child, ready };
}

/** SIGTERM (graceful shutdown), SIGKILL after 10 s. */
export async function stopServer(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
