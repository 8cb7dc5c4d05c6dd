// Shared helpers of the datastore benchmark: timing with noise indicators, bounded concurrency,
// small statistics and number formatting. Plain Node, no engine imports (the parent uses it too).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** USER_HZ: /proc/stat counts in these ticks (100 on every Linux the project runs on) */
const HZ = 100;

/** Aggregate CPU of the machine from /proc/stat: busy (without steal), iowait and steal ticks. */
export function cpuTicks() {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const at = (i) => f[i] ?? 0;
    return { busy: at(0) + at(1) + at(2) + at(5) + at(6), iowait: at(4), steal: at(7) };
  } catch {
    return { busy: 0, iowait: 0, steal: 0 };
  }
}

/** user+system CPU seconds of another process (e.g. the server we started), 0 if it is gone */
export function processCpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / HZ;
  } catch {
    return 0;
  }
}

/**
 * Runs `fn` and measures it like peers.sh measures a step: wall seconds, this process's CPU
 * seconds (all threads), and the noise indicators: CPU seconds other processes used meanwhile,
 * iowait and steal (summed over cores). `extraOwnCpu()` adds CPU of helper processes we own.
 */
export async function timed(fn, extraOwnCpu = () => 0) {
  const c0 = cpuTicks();
  const u0 = process.cpuUsage();
  const x0 = extraOwnCpu();
  const t0 = performance.now();
  const value = await fn();
  const wall = (performance.now() - t0) / 1000;
  const u = process.cpuUsage(u0);
  const c1 = cpuTicks();
  const own = (u.user + u.system) / 1e6 + (extraOwnCpu() - x0);
  return {
    value,
    m: {
      wall_s: round(wall, 4),
      cpu_s: round(own, 3),
      other_cpu_s: round(Math.max(0, (c1.busy - c0.busy) / HZ - own), 2),
      iowait_s: round((c1.iowait - c0.iowait) / HZ, 2),
      steal_s: round((c1.steal - c0.steal) / HZ, 2),
    },
  };
}

/** Like the engine's mapLimit: results in input order, the first failure rejects. */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  let failure;
  async function worker() {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (err) {
        failure ??= { err };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.err;
  return results;
}

export function round(x, digits = 2) {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  const p = 10 ** digits;
  return Math.round(x * p) / p;
}

export function median(values) {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** MB/s with MB = 10^6 bytes */
export function mbps(bytes, seconds) {
  return seconds > 0 ? round(bytes / 1e6 / seconds, 1) : null;
}

/** one line to stderr, prefixed like peers.sh's log lines */
export function log(message) {
  const t = new Date().toTimeString().slice(0, 8);
  process.stderr.write(`[bench ${t}] ${message}\n`);
}

export function errorText(err) {
  return err instanceof Error ? err.message : String(err);
}

/** A new results folder of one benchmark: `<benchWork>/results-<UTC time of start>-<name>`. */
export function makeResultsDir(benchWork, started, name) {
  const ts = started
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const dir = path.join(benchWork, `results-${ts}-${name}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * `npx tsc -b` of the projects a benchmark runs, each project's output kept in outDir as
 * `build-<name>-<project>.log`; a project with errors is used as emitted, with a warning.
 */
export function buildProjects(root, projects, outDir, name) {
  const result = {};
  for (const project of projects) {
    log(`building ${project} (npx tsc -b ${project})`);
    const r = spawnSync('npx', ['tsc', '-b', project], { cwd: root, encoding: 'utf8' });
    fs.writeFileSync(
      path.join(outDir, `build-${name}-${project.replace(/\//g, '-')}.log`),
      `${r.stdout}${r.stderr}`,
    );
    result[project] = r.status === 0 ? 'ok' : 'errors';
    if (r.status !== 0) log(`WARNING: ${project} has build errors; using its dist as emitted`);
  }
  return result;
}
