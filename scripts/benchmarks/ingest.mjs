// Ingest benchmark (issue 4): the real server and the real `pbs-client` on the shared data set —
// initial backup (`host/` as a pxar archive, `vm/disk0.img` as a fixed-chunk image), `mutate 1`,
// incremental backup, restore of both archives, content check with gen-dataset's summary, and the
// datastore's size — next to restic and borg (../shared/bench/peers.sh) measured in the same run.
// Printed as one markdown table of ratios ours/peer; every figure goes to ingest.json.
// How to run and read it: scripts/benchmarks/README.md ("Ingest").
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH_PASSWORD, baseDataset, gen, startServer, stopServer } from './lib/bench-server.mjs';
import { parseOptions } from './lib/options.mjs';
import { APT_COMMAND, hasCommand, readJsonLines, runPeersScript, toolOf } from './lib/peers.mjs';
import {
  buildProjects,
  errorText,
  log,
  makeResultsDir,
  mbps,
  processCpuSeconds,
  round,
  timed,
} from './lib/util.mjs';

const BACKUP_ID = 'bench';
/** fixed backup times so reruns name the same snapshots (the data dir is fresh each run) */
const T_INITIAL = 1_800_000_000;
const T_INCREMENTAL = T_INITIAL + 3600;

export const INGEST_USAGE = `ingest benchmark (scripts/benchmarks/ingest.mjs), same flags as above; env:
  BENCH_CHANGE_DETECTION  legacy | data | metadata (default metadata): the client's --change-detection-mode
  BENCH_INGEST            0 skips this benchmark
  BENCH_INGEST_REUSE_PEERS 0 runs peers.sh again even when this npm run bench already ran it
  BENCH_INGEST_PEERS_FILE  a peers.jsonl of an earlier run to compare with (peers.sh is not run)
  BENCH_CHUNK_SIZE         the client's --chunk-size (KiB) for the directory archive`;

function ingestOptions(root, args) {
  const opts = parseOptions(root, args);
  const mode = process.env.BENCH_CHANGE_DETECTION || 'metadata';
  if (!['legacy', 'data', 'metadata'].includes(mode)) throw new Error(`bad BENCH_CHANGE_DETECTION=${mode}`);
  return {
    ...opts,
    mode,
    enabled: process.env.BENCH_INGEST !== '0',
    reusePeers: process.env.BENCH_INGEST_REUSE_PEERS !== '0',
    // per process: two bench runs on one machine must not share a server data dir
    work: path.join(opts.benchWork, 'pbs', `ingest-${process.pid}`),
    dataset: path.join(opts.benchWork, 'dataset'),
  };
}

function build(opts, outDir) {
  if (!opts.build) return { skipped: true };
  return buildProjects(opts.root, ['packages/client', 'apps/bff'], outDir, 'ingest');
}

// ------------------------------------------------------------------------------------- peers

/** peers.jsonl of a peers.sh run made earlier in this process (npm run bench: datastore.mjs) */
function peersOfThisRun(opts) {
  const given = process.env.BENCH_INGEST_PEERS_FILE;
  if (given) return { file: given, rows: readJsonLines(given) };
  if (!opts.reusePeers) return null;
  const started = Date.now() - process.uptime() * 1000;
  const dirs = fs
    .readdirSync(opts.benchWork)
    .filter((d) => d.startsWith('results-'))
    .sort()
    .reverse();
  for (const d of dirs) {
    const file = path.join(opts.benchWork, d, 'peers.jsonl');
    if (!fs.existsSync(file) || fs.statSync(file).mtimeMs < started) continue;
    const rows = readJsonLines(file);
    const base = rows.find((r) => r.bench === 'dataset' && r.phase === 'base');
    if (base && rows.some((r) => r.phase === 'restore')) return { file, rows };
  }
  return null;
}

async function peersPart(opts, res, outDir) {
  const missing = opts.peers.filter((p) => !toolOf(p) || !hasCommand(toolOf(p)));
  res.peers.names = opts.withPeers ? opts.peers : [];
  res.peers.available = opts.withPeers ? opts.peers.filter((p) => !missing.includes(p)) : [];
  if (opts.withPeers && missing.length > 0) {
    res.peers.skipped = `not installed: ${missing.join(', ')} — install with: ${APT_COMMAND}`;
    log(`peers ${missing.join(', ')} skipped (tool not installed). Install them with:\n    ${APT_COMMAND}`);
  }
  if (res.peers.available.length === 0) return;
  const earlier = peersOfThisRun(opts);
  if (earlier) {
    log(`ingest: using the peers measured earlier in this run (${earlier.file})`);
    res.peers.rows = earlier.rows;
    res.peers.from = earlier.file;
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
}

// ----------------------------------------------------------------------------------- data set

/** Runs the client under /usr/bin/time (its CPU seconds); rejects with its output on failure. */
function client(opts, env, args, logFile) {
  const main = path.join(opts.root, 'packages', 'client', 'dist', 'cli', 'main.js');
  const timeFile = `${logFile}.time`;
  const useTime = fs.existsSync('/usr/bin/time');
  const [cmd, argv] = useTime
    ? ['/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, process.execPath, main, ...args]]
    : [process.execPath, [main, ...args]];
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'w');
    const child = spawn(cmd, argv, { cwd: opts.root, env, stdio: ['ignore', out, out] });
    child.on('error', reject);
    child.on('exit', (code) => {
      fs.closeSync(out);
      const text = fs.readFileSync(logFile, 'utf8');
      if (code !== 0) {
        reject(
          new Error(`pbs-client ${args[0]} exited ${code}: ${text.trim().split('\n').slice(-5).join(' | ')}`),
        );
        return;
      }
      let cpu = null;
      let rssKb = null;
      if (useTime) {
        const f = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        cpu = (f[0] ?? 0) + (f[1] ?? 0);
        rssKb = f[2] ?? null;
      }
      resolve({ cpu, rssKb, output: text });
    });
  });
}

/** Bytes of the regular files under `dir` (chunks, indexes, blobs; not the 65,536 dirs). */
function fileBytes(dir) {
  let total = 0;
  let files = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        total += fs.statSync(p).size;
        files++;
      }
    }
  };
  walk(dir);
  return { bytes: total, files };
}

async function oursPart(opts, res, outDir) {
  const o = res.ours;
  const dataDir = path.join(opts.work, 'server');
  const home = path.join(opts.work, 'home');
  const restoreDir = path.join(opts.work, 'restore');
  log(`ingest: fresh server data dir ${dataDir}`);
  fs.rmSync(opts.work, { recursive: true, force: true });
  fs.mkdirSync(path.join(home, 'run'), { recursive: true });

  const base = await baseDataset(opts);
  o.dataset = { base: { total_bytes: base.total_bytes, total_files: base.total_files, sha256: base.sha256 } };

  const server = startServer(opts, dataDir);
  try {
    const { hostPort, fingerprint } = await server.ready;
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      XDG_RUNTIME_DIR: path.join(home, 'run'),
      XDG_CONFIG_HOME: path.join(home, 'config'),
      PBS_REPOSITORY: `admin@pbs@${hostPort}:local`,
      PBS_PASSWORD: BENCH_PASSWORD,
      PBS_FINGERPRINT: fingerprint,
    };
    // the default datastore 'local' is created by a task at the first start (65,536 dirs)
    for (let i = 0; ; i++) {
      try {
        await client(opts, env, ['list'], path.join(outDir, 'ingest-wait.log'));
        break;
      } catch (err) {
        if (i >= 120)
          throw new Error(`datastore 'local' did not become ready: ${errorText(err)}`, {
            cause: err,
          });
        await sleep(1000);
      }
    }
    const serverCpu = () => processCpuSeconds(server.child.pid);
    const store = path.join(dataDir, 'datastores', 'local');
    const storeDir = fs.existsSync(store) ? store : dataDir;
    const step = async (key, args, bytes) => {
      spawnSync('sync');
      log(`ingest: ${key} (pbs-client ${args.slice(0, 2).join(' ')} …)`);
      const s0 = serverCpu();
      const r = await timed(() => client(opts, env, args, path.join(outDir, `ingest-${key}.log`)));
      const serverCpuS = serverCpu() - s0;
      const clientCpuS = r.value.cpu;
      o[key] = {
        wall_s: r.m.wall_s,
        client_cpu_s: clientCpuS,
        server_cpu_s: round(serverCpuS, 2),
        client_max_rss_kb: r.value.rssKb,
        other_cpu_s: round(Math.max(0, r.m.other_cpu_s - serverCpuS - (clientCpuS ?? 0)), 2),
        iowait_s: r.m.iowait_s,
        steal_s: r.m.steal_s,
        ...(bytes !== undefined && { bytes, mb_s: mbps(bytes, r.m.wall_s) }),
      };
      log(`ingest: ${key} ${r.m.wall_s.toFixed(2)} s${bytes ? ` = ${mbps(bytes, r.m.wall_s)} MB/s` : ''}`);
      return r.value.output;
    };
    const backupArgs = (time) => [
      'backup',
      `host.pxar:${path.join(opts.dataset, 'host')}`,
      `disk0.img:${path.join(opts.dataset, 'vm', 'disk0.img')}`,
      '--backup-id',
      BACKUP_ID,
      '--backup-time',
      String(time),
      '--change-detection-mode',
      opts.mode,
      ...(process.env.BENCH_CHUNK_SIZE ? ['--chunk-size', process.env.BENCH_CHUNK_SIZE] : []),
    ];
    await step('initial_backup', backupArgs(T_INITIAL), base.total_bytes);
    o.initial_backup.datastore = fileBytes(storeDir);

    log('ingest: mutate 1');
    const mutated = await gen(opts, 'mutate', opts.dataset, '1');
    o.dataset.mutated = { total_bytes: mutated.total_bytes, sha256: mutated.sha256 };

    const incremental = await step('incremental_backup', backupArgs(T_INCREMENTAL), mutated.total_bytes);
    o.incremental_backup.datastore = fileBytes(storeDir);
    o.incremental_backup.client_log = incremental
      .split('\n')
      .filter((l) => / - \d|had to backup|incrementally|Duration/.test(l));

    fs.rmSync(restoreDir, { recursive: true, force: true });
    fs.mkdirSync(path.join(restoreDir, 'vm'), { recursive: true });
    const snapshot = `host/${BACKUP_ID}/${new Date(T_INCREMENTAL * 1000).toISOString().replace('.000Z', 'Z')}`;
    spawnSync('sync');
    const s0 = serverCpu();
    const restore = await timed(async () => {
      const a = await client(
        opts,
        env,
        ['restore', snapshot, 'host.pxar', path.join(restoreDir, 'host')],
        path.join(outDir, 'ingest-restore-host.log'),
      );
      const b = await client(
        opts,
        env,
        ['restore', snapshot, 'disk0.img', path.join(restoreDir, 'vm', 'disk0.img')],
        path.join(outDir, 'ingest-restore-img.log'),
      );
      return { cpu: (a.cpu ?? 0) + (b.cpu ?? 0) };
    });
    const serverCpuS = serverCpu() - s0;
    o.restore = {
      wall_s: restore.m.wall_s,
      client_cpu_s: round(restore.value.cpu, 2),
      server_cpu_s: round(serverCpuS, 2),
      other_cpu_s: round(Math.max(0, restore.m.other_cpu_s - serverCpuS - restore.value.cpu), 2),
      iowait_s: restore.m.iowait_s,
      bytes: mutated.total_bytes,
      mb_s: mbps(mutated.total_bytes, restore.m.wall_s),
    };
    log(`ingest: restore ${restore.m.wall_s.toFixed(2)} s = ${o.restore.mb_s} MB/s; checking the content`);
    const check = await gen(opts, 'summary', restoreDir);
    o.restore.verified = check.sha256 === mutated.sha256;
    if (!o.restore.verified) {
      res.errors.restore = `restored content differs: ${check.sha256} != ${mutated.sha256} (host ${check.host.sha256}, vm ${check.vm.sha256})`;
    }
    fs.rmSync(restoreDir, { recursive: true, force: true });
  } finally {
    await stopServer(server.child);
    if (process.env.BENCH_INGEST_KEEP !== '1') {
      log(`ingest: removing ${opts.work} (BENCH_INGEST_KEEP=1 keeps it)`);
      fs.rmSync(opts.work, { recursive: true, force: true });
    }
  }
}

// ------------------------------------------------------------------------------------ report

const fmt = (v, d = 1) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d));

function renderTable(res) {
  const o = res.ours;
  const peers = res.peers.names;
  const rows = res.peers.rows ?? [];
  const peer = (p, phase) => rows.find((r) => r.bench === 'peers' && r.peer === p && r.phase === phase);
  const head = ['step', 'ours', ...peers, ...peers.map((p) => `ours/${p}`), 'target (issue 4)'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---|').join('')}`];
  const add = (label, ours, peerValue, digits, target) => {
    const values = peers.map((p) => (res.peers.available.includes(p) ? peerValue(p) : undefined));
    const ratios = values.map((v) =>
      v && ours !== undefined && ours !== null ? `${(ours / v).toFixed(2)}×` : '–',
    );
    const cells = [label, fmt(ours, digits), ...values.map((v) => fmt(v, digits)), ...ratios, target];
    lines.push(`| ${cells.join(' | ')} |`);
  };
  add(
    'initial backup, MB/s',
    o.initial_backup?.mb_s,
    (p) => peer(p, 'initial_backup')?.mb_s,
    1,
    'ours/restic ≥ 3×',
  );
  add(
    'incremental backup, s',
    o.incremental_backup?.wall_s,
    (p) => peer(p, 'incremental_backup')?.wall_s,
    2,
    'ours/restic ≤ 0.5×',
  );
  add('restore, MB/s', o.restore?.mb_s, (p) => peer(p, 'restore')?.mb_s, 1, 'ours/restic ≥ 2×');
  const mb = (b) => (b === undefined || b === null ? undefined : b / 1e6);
  add(
    'datastore size after both backups, MB',
    mb(o.incremental_backup?.datastore?.bytes),
    (p) => mb(peer(p, 'incremental_backup')?.repo_bytes),
    1,
    'ours/restic ≤ 1.25×',
  );
  add(
    'datastore size after the initial backup, MB',
    mb(o.initial_backup?.datastore?.bytes),
    (p) => mb(peer(p, 'initial_backup')?.repo_bytes),
    1,
    '',
  );
  return lines.join('\n');
}

function cpuNote(name, m) {
  if (!m) return null;
  const other = m.wall_s > 0 ? m.other_cpu_s / m.wall_s : 0;
  return `${name}: client CPU ${fmt(m.client_cpu_s, 2)} s, server CPU ${fmt(m.server_cpu_s, 2)} s, other load ${other.toFixed(1)} cores`;
}

function report(res, opts) {
  const o = res.ours;
  const notes = [
    cpuNote('initial', o.initial_backup),
    cpuNote('incremental', o.incremental_backup),
    cpuNote('restore', o.restore),
  ].filter(Boolean);
  const lines = [
    `## Ingest benchmark (${opts.quick ? 'quick' : 'full'} run, ${res.run.started})`,
    '',
    `Data set: SIZE_MB=${opts.sizeMb}, ${o.dataset?.base?.total_files ?? '?'} files, ${fmt((o.dataset?.base?.total_bytes ?? NaN) / 1e6)} MB (host/ as host.pxar, vm/disk0.img as disk0.img); client --change-detection-mode ${opts.mode}${process.env.BENCH_CHUNK_SIZE ? ` --chunk-size ${process.env.BENCH_CHUNK_SIZE}` : ''}; server and client on loopback (TLS, HTTP/2). Restore ${o.restore ? (o.restore.verified ? 'verified byte-identical (gen-dataset summary)' : 'NOT verified') : 'not run'}.`,
    res.peers.from ? `Peers: from ${res.peers.from} (peers.sh earlier in this run).` : '',
    '',
    renderTable(res),
    '',
    "MB = 10^6 bytes. Ratios are ours ÷ peer: for MB/s higher is better, for seconds and sizes lower is better. Backup and restore MB/s are logical bytes of the data set (sparse image counted fully) per wall second, as peers.sh computes them. Our datastore size is the bytes of the regular files in the datastore (chunks, indexes, blobs), without the 65,536 chunk-prefix directories; the peers' is `du -sb` of their repository.",
    notes.length ? `CPU: ${notes.join('; ')}.` : '',
    o.incremental_backup?.client_log?.length
      ? `Incremental backup, client log: ${o.incremental_backup.client_log.map((l) => l.trim()).join(' · ')}`
      : '',
  ];
  if (res.peers.skipped) lines.push(`Peers skipped: ${res.peers.skipped}.`);
  if (res.peers.names.length === 0) lines.push('Peers: not run (--no-peers or PEERS empty).');
  for (const [k, v] of Object.entries(res.errors)) lines.push(`**${k} failed**: ${v}`);
  return lines.filter((l, i, a) => l !== '' || a[i - 1] !== '').join('\n');
}

export async function run({ root, args }) {
  const opts = ingestOptions(root, args);
  if (opts.help) {
    process.stdout.write(`${INGEST_USAGE}\n`);
    return;
  }
  if (!opts.enabled) return;
  const started = new Date();
  const outDir = makeResultsDir(opts.benchWork, started, 'ingest');
  const res = {
    run: {
      started: started.toISOString(),
      mode: opts.quick ? 'quick' : 'full',
      changeDetectionMode: opts.mode,
      sizeMb: opts.sizeMb,
      nproc: os.cpus().length,
      node: process.version,
      load_avg: os.loadavg().map((x) => round(x, 2)),
    },
    peers: { names: [], available: [] },
    ours: {},
    errors: {},
  };
  res.run.build = build(opts, outDir);
  await peersPart(opts, res, outDir);
  try {
    await oursPart(opts, res, outDir);
  } catch (err) {
    res.errors.ours = errorText(err);
    log(`ERROR: ${res.errors.ours}`);
  }
  res.run.duration_s = round((Date.now() - started.getTime()) / 1000, 1);
  const text = `${report(res, opts)}\n\nTotal run time ${res.run.duration_s} s; results in ${outDir}\n`;
  fs.writeFileSync(path.join(outDir, 'ingest.json'), `${JSON.stringify(res, null, 2)}\n`);
  fs.writeFileSync(path.join(outDir, 'report.md'), text);
  process.stdout.write(`\n${text}`);
  if (Object.keys(res.errors).length > 0) process.exitCode = 1;
}
