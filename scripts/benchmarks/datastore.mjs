// Datastore benchmark (issue 3): chunk insert MB/s (4 MiB chunks, compressible and random),
// verify MB/s, GC time for 1,000,000 chunk files and listing latency for 10,000 snapshots,
// measured against the peers (restic, borg from Debian; ../shared/bench/peers.sh) in the same
// run, printed as one markdown table with ratios. Every measurement runs in its own process
// (lib/step.mjs) against the built engine: `tsc -b` first, then the packages' dist through the
// workspace package names. How to run and read it: scripts/benchmarks/README.md.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOptions, USAGE } from './lib/options.mjs';
import {
  APT_COMMAND,
  ensureDataset,
  hasCommand,
  peerReferences,
  readJsonLines,
  runPeersScript,
  toolOf,
} from './lib/peers.mjs';
import { FOOTNOTES, renderTable } from './lib/report.mjs';
import { errorText, log, round, timed } from './lib/util.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const STEP = path.join(HERE, 'lib', 'step.mjs');
const MARKER_VERSION = 1;
const GC_CLOCK_STEP_MS = 2 * 86_400_000;

function runStep(opts, name, params) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [STEP, name], {
      cwd: opts.root,
      env: { ...process.env, BENCH_STEP_PARAMS: JSON.stringify(params) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let result;
    child.stdout.on('data', (d) => {
      out += d.toString();
      let nl;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line.startsWith('BENCH_RESULT ')) result = JSON.parse(line.slice('BENCH_RESULT '.length));
        else process.stderr.write(`${line}\n`);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`step '${name}' failed (exit ${code})`));
    });
  });
}

function build(opts, outDir) {
  if (!opts.build) return { skipped: true };
  const tsc = (project) => {
    log(`building ${project} (npx tsc -b ${project})`);
    const r = spawnSync('npx', ['tsc', '-b', project], { cwd: opts.root, encoding: 'utf8' });
    fs.writeFileSync(path.join(outDir, `build-${project.replace(/\//g, '-')}.log`), `${r.stdout}${r.stderr}`);
    return r.status === 0 ? null : `${r.stdout}${r.stderr}`.trim().split('\n').slice(0, 5).join('\n');
  };
  const engine = tsc('packages/datastore');
  if (engine) throw new Error(`the engine does not build:\n${engine}`);
  const server = tsc('apps/bff');
  if (server)
    log(
      `WARNING: apps/bff has build errors; the listing through the server uses its dist as emitted:\n${server}`,
    );
  return { engine: 'ok', server: server ? 'errors' : 'ok' };
}

function dropCaches(opts) {
  if (!opts.dropCaches) return;
  spawnSync('sync');
  try {
    fs.writeFileSync('/proc/sys/vm/drop_caches', '3');
  } catch (err) {
    log(`cannot drop caches (${errorText(err)}); continuing with a warm page cache`);
    opts.dropCaches = false;
  }
}

function machine(opts) {
  const sh = (cmd) => spawnSync('sh', ['-c', cmd], { encoding: 'utf8' }).stdout?.trim() || null;
  return {
    cpu: os.cpus()[0]?.model ?? null,
    nproc: os.cpus().length,
    mem_gib: round(os.totalmem() / 2 ** 30, 1),
    kernel: os.release(),
    node: process.version,
    fs: sh(`findmnt -no FSTYPE,OPTIONS --target ${opts.benchWork}`)?.replace(/\s+/g, ' ') ?? null,
    restic: hasCommand('restic') ? sh('restic version | cut -d" " -f2') : null,
    borg: hasCommand('borg') ? sh('borg --version | cut -d" " -f2') : null,
    load_avg: os.loadavg().map((x) => round(x, 2)),
  };
}

async function peersPart(opts, res, outDir) {
  const dataset = path.join(opts.benchWork, 'dataset');
  const missing = opts.peers.filter((p) => !toolOf(p) || !hasCommand(toolOf(p)));
  res.peers.names = opts.withPeers ? opts.peers : [];
  res.peers.available = opts.withPeers ? opts.peers.filter((p) => !missing.includes(p)) : [];
  if (opts.withPeers && missing.length > 0) {
    res.peers.skipped = `not installed: ${missing.join(', ')} — install with: ${APT_COMMAND}`;
    log(`peers ${missing.join(', ')} skipped (tool not installed). Install them with:\n    ${APT_COMMAND}`);
  }
  if (res.peers.available.length === 0) {
    await ensureDataset({ sharedDir: opts.sharedDir, dataset, sizeMb: opts.sizeMb });
    return;
  }
  const results = path.join(outDir, 'peers.jsonl');
  log(
    `peers.sh: ${res.peers.available.join(' ')} on SIZE_MB=${opts.sizeMb} (log lines below are peers.sh's)`,
  );
  const r = await timed(() =>
    runPeersScript({
      sharedDir: opts.sharedDir,
      benchWork: opts.benchWork,
      peers: res.peers.available,
      sizeMb: opts.sizeMb,
      results,
      outFile: path.join(outDir, 'peers.out'),
    }),
  );
  res.peers.wall_s = round(r.m.wall_s, 1);
  if (r.value !== 0) res.errors.peers = `peers.sh exited ${r.value} (see ${outDir}/peers.out)`;
  res.peers.rows = readJsonLines(results);
  res.peers.references = await peerReferences(res.peers.available, opts.benchWork);
}

function readMarker(file, opts) {
  try {
    const m = JSON.parse(fs.readFileSync(file, 'utf8'));
    const same =
      m.version === MARKER_VERSION &&
      m.gcChunks === opts.gcChunks &&
      m.gcGarbage === opts.gcGarbage &&
      m.gcSnapshots === opts.gcSnapshots;
    return same ? m : null;
  } catch {
    return null;
  }
}

async function oursPart(opts, res) {
  const pbs = path.join(opts.benchWork, 'pbs');
  const name = opts.quick ? 'bench-quick' : 'bench';
  const base = {
    name,
    storeDir: path.join(pbs, name),
    lockDir: path.join(pbs, 'locks', name),
    insertNs: 'insert',
    listNs: `list-${opts.snapshots}`,
    gcNs: 'gc',
  };
  const markerFile = path.join(pbs, `${name}.bench.json`);
  let marker = opts.fresh ? null : readMarker(markerFile, opts);
  const saveMarker = () => fs.writeFileSync(markerFile, `${JSON.stringify(marker, null, 2)}\n`);
  const o = res.ours;
  // every step starts from a flushed page cache (as peers.sh syncs before each measurement)
  const step = async (key, stepName, params, { drop = false } = {}) => {
    spawnSync('sync');
    if (drop) dropCaches(opts);
    try {
      o[key] = await runStep(opts, stepName, { ...base, ...params });
      return o[key];
    } catch (err) {
      res.errors[key] = errorText(err);
      log(`ERROR: ${res.errors[key]}`);
      return undefined;
    }
  };
  fs.mkdirSync(pbs, { recursive: true });

  // preparation (untimed): the kept store, this run's GC garbage, the 10,000 listing snapshots
  if (marker === null && fs.existsSync(base.storeDir)) {
    log(`removing the old ${base.storeDir} first (up to 1M chunk files: minutes on this disk)`);
  }
  const setup = await step('setup', 'setup', { reuse: marker !== null });
  if (!setup) return;
  if (setup.created || marker === null) {
    marker = {
      version: MARKER_VERSION,
      gcChunks: opts.gcChunks,
      gcGarbage: opts.gcGarbage,
      gcSnapshots: opts.gcSnapshots,
      fixtureReady: false,
      listSeeded: {},
      lastGcClockMs: 0,
    };
    saveMarker();
  }
  const fixture = await step('gcFixture', 'gc-fixture', {
    gcChunks: opts.gcChunks,
    gcGarbage: opts.gcGarbage,
    gcSnapshots: opts.gcSnapshots,
    fixtureReady: marker.fixtureReady,
    workers: Math.max(2, Math.min(4, os.cpus().length)),
  });
  if (fixture) {
    marker.fixtureReady = true;
    saveMarker();
  }
  if (marker.listSeeded[base.listNs] !== opts.snapshots) {
    if (await step('listSeed', 'list-seed', { snapshots: opts.snapshots })) {
      marker.listSeeded[base.listNs] = opts.snapshots;
      saveMarker();
    }
  }

  // measurements
  const hostDir = path.join(opts.benchWork, 'dataset', 'host');
  const inserted = await step('insert', 'insert', {
    hostDir,
    compressibleBytes: opts.compressibleBytes,
    randomBytes: opts.randomBytes,
    concurrency: opts.concurrency,
  });
  if (inserted) await step('verify', 'verify', {}, { drop: true });
  if (marker.listSeeded[base.listNs] === opts.snapshots) {
    await step('listEngine', 'list-engine', { repeats: opts.repeats }, { drop: true });
    const server = { root: opts.root, serverDir: path.join(pbs, 'server'), repeats: opts.serverRepeats };
    await step('trpc', 'trpc', { ...server, pageSize: opts.pageSize }, { drop: true });
  }
  if (fixture) {
    const minClockMs = Math.max(Date.now(), marker.lastGcClockMs) + GC_CLOCK_STEP_MS;
    marker.lastGcClockMs = minClockMs;
    saveMarker();
    const gc = await step('gc', 'gc', { minClockMs, clockStepMs: GC_CLOCK_STEP_MS });
    if (gc) {
      marker.lastGcClockMs = gc.clock_ms;
      saveMarker();
    }
  }
  if (opts.clean) {
    log(`removing ${base.storeDir} (--clean)`);
    fs.rmSync(base.storeDir, { recursive: true, force: true });
    fs.rmSync(markerFile, { force: true });
  }
}

function header(res, opts) {
  const m = res.run.machine;
  const base = res.peers.rows?.find((r) => r.bench === 'dataset' && r.phase === 'base');
  return [
    `## Datastore benchmark (${opts.quick ? 'quick' : 'full'} run, ${res.run.started})`,
    '',
    `Machine: ${m.cpu}, ${m.nproc} cores, ${m.mem_gib} GiB, kernel ${m.kernel}, ${m.fs} at ${opts.benchWork}; node ${m.node}, restic ${m.restic ?? '–'}, borg ${m.borg ?? '–'}; load average at start ${m.load_avg.join(' ')}.`,
    base
      ? `Data set: SIZE_MB=${opts.sizeMb}, ${base.total_files} files, ${round(base.total_bytes / 1e6, 1)} MB (peers back it up; our compressible chunks are its host/ tree as one stream).`
      : `Data set: SIZE_MB=${opts.sizeMb} (host/ tree as one stream for the compressible chunks).`,
    `Ours: sync level 'filesystem', insert concurrency ${opts.concurrency}, GC over ${opts.gcChunks.toLocaleString('en-US')} fixture chunks (${Math.round(opts.gcGarbage * 100)} % garbage) plus the store's other chunks, ${opts.snapshots.toLocaleString('en-US')} snapshots listed.`,
    '',
  ].join('\n');
}

function footer(res) {
  const lines = [
    '',
    'MB = 10^6 bytes. × = speed ratio, > 1 means ours is faster (our MB/s ÷ theirs; their seconds ÷ ours). "ref" = the peer figure is a reference for scale, not the same operation: no ratio. "other load" = CPU other processes used during the step, in cores (the machine is shared).',
    ...FOOTNOTES,
  ];
  if (res.peers.skipped) lines.push(`Peers skipped: ${res.peers.skipped}.`);
  if (res.peers.names.length === 0) lines.push('Peers: not run (--no-peers or PEERS empty).');
  for (const [k, v] of Object.entries(res.errors)) lines.push(`**${k} failed**: ${v}`);
  return lines.join('\n');
}

export async function run({ root, args }) {
  const opts = parseOptions(root, args);
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const started = new Date();
  const ts = started
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const outDir = path.join(opts.benchWork, `results-${ts}`);
  fs.mkdirSync(outDir, { recursive: true });
  const res = {
    run: {
      started: started.toISOString(),
      mode: opts.quick ? 'quick' : 'full',
      options: { ...opts },
      machine: machine(opts),
    },
    peers: { names: [], available: [] },
    ours: {},
    errors: {},
  };
  res.run.build = build(opts, outDir);
  await peersPart(opts, res, outDir);
  await oursPart(opts, res);
  res.run.dropCaches = opts.dropCaches;
  res.run.duration_s = round((Date.now() - started.getTime()) / 1000, 1);
  const report = `${header(res, opts)}${renderTable(res)}\n${footer(res)}\n\nTotal run time ${res.run.duration_s} s; results in ${outDir}\n`;
  fs.writeFileSync(path.join(outDir, 'datastore.json'), `${JSON.stringify(res, null, 2)}\n`);
  fs.writeFileSync(path.join(outDir, 'report.md'), report);
  process.stdout.write(`\n${report}`);
  if (Object.keys(res.errors).length > 0) process.exitCode = 1;
}
