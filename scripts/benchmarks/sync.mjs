// Sync benchmark (issue 6): two real servers on loopback (separate data dirs and ports, each with
// its default datastore 'local'). The real `pbs-client` backs the shared data set up to server A;
// server B pulls it (POST /pull from remote A). Reported: the initial sync's MB/s (logical bytes of
// the data set per wall second, and bytes on the wire per second), then — after
// `gen-dataset.mjs mutate 1` and an incremental backup to A — the second pull's bytes transferred
// divided by the bytes of the chunks that backup added to A (target ≤ 1.05).
// How to run and read it: scripts/benchmarks/README.md ("Sync").
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH_PASSWORD, baseDataset, gen, startServer, stopServer } from './lib/bench-server.mjs';
import { parseOptions } from './lib/options.mjs';
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

const BACKUP_ID = 'bench-sync';
const T_INITIAL = 1_800_000_000;
const T_INCREMENTAL = T_INITIAL + 3600;
const TARGET_RATIO = 1.05;

function syncOptions(root, args) {
  const opts = parseOptions(root, args);
  return {
    ...opts,
    enabled: process.env.BENCH_SYNC !== '0',
    work: path.join(opts.benchWork, 'pbs', 'sync'),
    dataset: path.join(opts.benchWork, 'dataset'),
  };
}

function build(opts, outDir) {
  if (!opts.build) return { skipped: true };
  return buildProjects(opts.root, ['packages/client', 'apps/bff'], outDir, 'sync');
}

/**
 * A REST call to a server (PBS /api2/json). Loopback to a server this script started: the
 * certificate is checked by its fingerprint, printed by the server at start.
 */
function api(server, method, apiPath, { body, auth } = {}) {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: server.host,
        port: server.port,
        method,
        path: `/api2/json${apiPath}`,
        // a fresh TLS connection per call (no session reuse), so the certificate is always there
        agent: false,
        rejectUnauthorized: false,
        headers: {
          ...(payload && { 'content-type': 'application/json', 'content-length': payload.length }),
          ...(auth && { cookie: `PBSAuthCookie=${encodeURIComponent(auth.ticket)}` }),
          ...(auth && method !== 'GET' && { csrfpreventiontoken: auth.csrf }),
        },
      },
      (res) => {
        const fp = res.socket.getPeerCertificate().fingerprint256?.toLowerCase();
        if (fp !== server.fingerprint) {
          reject(new Error(`${server.hostPort}: unexpected certificate ${fp}`));
          res.destroy();
          return;
        }
        const parts = [];
        res.on('data', (d) => parts.push(d));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`${method} ${apiPath}: ${res.statusCode} ${text}`));
          else resolve(text === '' ? null : JSON.parse(text).data);
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function login(server) {
  const data = await api(server, 'POST', '/access/ticket', {
    body: { username: 'admin@pbs', password: BENCH_PASSWORD },
  });
  return { ticket: data.ticket, csrf: data.CSRFPreventionToken };
}

/** Waits until the default datastore 'local' (created by a task at the first start) answers. */
async function waitForStore(server, auth) {
  for (let i = 0; ; i++) {
    try {
      await api(server, 'GET', '/admin/datastore/local/groups', { auth });
      return;
    } catch (err) {
      if (i >= 180)
        throw new Error(`datastore 'local' did not become ready: ${errorText(err)}`, { cause: err });
      await sleep(1000);
    }
  }
}

async function waitForTask(server, auth, upid) {
  const path_ = `/nodes/localhost/tasks/${encodeURIComponent(upid)}`;
  for (;;) {
    const status = await api(server, 'GET', `${path_}/status`, { auth });
    if (status.status === 'stopped') {
      const lines = await api(server, 'GET', `${path_}/log?limit=100000`, { auth });
      return { exitstatus: status.exitstatus, log: lines.map((l) => l.t) };
    }
    await sleep(200);
  }
}

function client(opts, env, args, logFile) {
  const main = path.join(opts.root, 'packages', 'client', 'dist', 'cli', 'main.js');
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'w');
    const child = spawn(process.execPath, [main, ...args], {
      cwd: opts.root,
      env,
      stdio: ['ignore', out, out],
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      fs.closeSync(out);
      const text = fs.readFileSync(logFile, 'utf8');
      if (code !== 0)
        reject(
          new Error(`pbs-client ${args[0]} exited ${code}: ${text.trim().split('\n').slice(-5).join(' | ')}`),
        );
      else resolve(text);
    });
  });
}

/** Bytes and count of the chunk files of a datastore. */
function chunkBytes(storeDir) {
  let bytes = 0;
  let files = 0;
  const chunks = path.join(storeDir, '.chunks');
  for (const prefix of fs.readdirSync(chunks)) {
    const dir = path.join(chunks, prefix);
    for (const name of fs.readdirSync(dir)) {
      if (!/^[0-9a-f]{64}$/.test(name)) continue;
      bytes += fs.statSync(path.join(dir, name)).size;
      files++;
    }
  }
  return { bytes, files };
}

/** The pull task's summary line: chunks, chunk bytes and the exact bytes transferred. */
function parseSummary(lines) {
  const line = lines.find((l) => l.includes('summary:')) ?? '';
  const chunks = /(\d+) chunk\(s\) downloaded/.exec(line);
  const bytes = /transferred in total \((\d+) bytes/.exec(line);
  return {
    line: line.replace(/^\S+: /, ''),
    chunks: chunks ? Number(chunks[1]) : null,
    bytes: bytes ? Number(bytes[1]) : null,
  };
}

async function oursPart(opts, res, outDir) {
  const o = res.ours;
  fs.rmSync(opts.work, { recursive: true, force: true });
  const home = path.join(opts.work, 'home');
  fs.mkdirSync(path.join(home, 'run'), { recursive: true });
  const base = await baseDataset(opts);
  o.dataset = { total_bytes: base.total_bytes, total_files: base.total_files };

  const a = startServer(opts, path.join(opts.work, 'a'));
  const b = startServer(opts, path.join(opts.work, 'b'));
  try {
    const [srvA, srvB] = await Promise.all([a.ready, b.ready]);
    const [authA, authB] = await Promise.all([login(srvA), login(srvB)]);
    log('sync: waiting for the default datastores of both servers');
    await Promise.all([waitForStore(srvA, authA), waitForStore(srvB, authB)]);
    const storeA = path.join(opts.work, 'a', 'datastores', 'local');
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      XDG_RUNTIME_DIR: path.join(home, 'run'),
      XDG_CONFIG_HOME: path.join(home, 'config'),
      PBS_REPOSITORY: `admin@pbs@${srvA.hostPort}:local`,
      PBS_PASSWORD: BENCH_PASSWORD,
      PBS_FINGERPRINT: srvA.fingerprint,
    };
    const backup = async (key, time) => {
      log(`sync: ${key} backup to server A`);
      const before = chunkBytes(storeA);
      await client(
        opts,
        env,
        [
          'backup',
          `host.pxar:${path.join(opts.dataset, 'host')}`,
          `disk0.img:${path.join(opts.dataset, 'vm', 'disk0.img')}`,
          '--backup-id',
          BACKUP_ID,
          '--backup-time',
          String(time),
        ],
        path.join(outDir, `sync-${key}-backup.log`),
      );
      const after = chunkBytes(storeA);
      return {
        new_chunk_bytes: after.bytes - before.bytes,
        new_chunks: after.files - before.files,
        store: after,
      };
    };
    await api(srvB, 'POST', '/config/remote', {
      auth: authB,
      body: {
        name: 'server-a',
        host: srvA.host,
        port: srvA.port,
        'auth-id': 'admin@pbs',
        password: BENCH_PASSWORD,
        fingerprint: srvA.fingerprint,
      },
    });
    const serverCpu = () => processCpuSeconds(a.child.pid) + processCpuSeconds(b.child.pid);
    const pull = async (key, logicalBytes) => {
      spawnSync('sync');
      log(`sync: ${key} pull (server B from server A)`);
      const c0 = serverCpu();
      const r = await timed(async () => {
        const upid = await api(srvB, 'POST', '/pull', {
          auth: authB,
          body: { store: 'local', remote: 'server-a', 'remote-store': 'local' },
        });
        return waitForTask(srvB, authB, upid);
      });
      if (r.value.exitstatus !== 'OK') throw new Error(`${key} pull ended ${r.value.exitstatus}`);
      fs.writeFileSync(path.join(outDir, `sync-${key}-task.log`), `${r.value.log.join('\n')}\n`);
      const summary = parseSummary(r.value.log);
      const serverCpuS = serverCpu() - c0;
      o[key] = {
        wall_s: r.m.wall_s,
        logical_mb_s: mbps(logicalBytes, r.m.wall_s),
        wire_bytes: summary.bytes,
        wire_mb_s: summary.bytes === null ? null : mbps(summary.bytes, r.m.wall_s),
        chunks: summary.chunks,
        summary: summary.line,
        servers_cpu_s: round(serverCpuS, 2),
        other_cpu_s: round(Math.max(0, r.m.other_cpu_s - serverCpuS), 2),
        iowait_s: r.m.iowait_s,
      };
      log(`sync: ${key} pull ${r.m.wall_s.toFixed(2)} s; ${summary.line}`);
      return o[key];
    };

    o.initial_backup = await backup('initial', T_INITIAL);
    await pull('initial_sync', base.total_bytes);
    log('sync: mutate 1');
    const mutated = await gen(opts, 'mutate', opts.dataset, '1');
    o.dataset.mutated_bytes = mutated.total_bytes;
    o.incremental_backup = await backup('incremental', T_INCREMENTAL);
    const inc = await pull('incremental_sync', mutated.total_bytes);
    const newBytes = o.incremental_backup.new_chunk_bytes;
    inc.ratio = newBytes > 0 && inc.wire_bytes !== null ? round(inc.wire_bytes / newBytes, 4) : null;
    const storeB = chunkBytes(path.join(opts.work, 'b', 'datastores', 'local'));
    o.stores_identical_chunks =
      storeB.files === o.incremental_backup.store.files && storeB.bytes === o.incremental_backup.store.bytes;
    if (!o.stores_identical_chunks)
      res.errors.content = `server B's chunk store (${storeB.files} files, ${storeB.bytes} B) differs from A's (${o.incremental_backup.store.files}, ${o.incremental_backup.store.bytes} B)`;
  } finally {
    await Promise.all([stopServer(a.child), stopServer(b.child)]);
  }
}

const fmt = (v, d = 1) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d));

function report(res, opts) {
  const o = res.ours;
  const mb = (b) => (b === undefined || b === null ? undefined : b / 1e6);
  const rows = [
    ['initial sync, MB/s of the data set', fmt(o.initial_sync?.logical_mb_s), ''],
    ['initial sync, MB/s on the wire', fmt(o.initial_sync?.wire_mb_s), ''],
    ['incremental sync, s', fmt(o.incremental_sync?.wall_s, 2), ''],
    ['incremental: new chunk bytes on A, MB', fmt(mb(o.incremental_backup?.new_chunk_bytes), 2), ''],
    ['incremental: bytes transferred, MB', fmt(mb(o.incremental_sync?.wire_bytes), 2), ''],
    ['transferred ÷ new chunk bytes', fmt(o.incremental_sync?.ratio, 3), `≤ ${TARGET_RATIO}`],
  ];
  const lines = [
    `## Sync benchmark (${opts.quick ? 'quick' : 'full'} run, ${res.run.started})`,
    '',
    `Data set: SIZE_MB=${opts.sizeMb}, ${o.dataset?.total_files ?? '?'} files, ${fmt(mb(o.dataset?.total_bytes))} MB, backed up to server A by pbs-client (host.pxar + disk0.img), pulled by server B (POST /pull from remote A); both servers on loopback (TLS, HTTP/2 reader protocol).`,
    '',
    '| figure | value | target (issue 6) |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    'MB = 10^6 bytes. "MB/s of the data set" is the logical size of the data set per wall second of the pull task (request to end); "on the wire" counts the bytes the pull downloaded (chunks, indexes, blobs, manifests) from its summary line. The ratio divides the incremental pull\'s bytes by the encoded bytes of the chunks the incremental backup added to A: the overhead is indexes, blobs and manifests.',
    o.initial_sync
      ? `Initial pull: ${o.initial_sync.summary}; servers' CPU ${fmt(o.initial_sync.servers_cpu_s, 2)} s, other load ${fmt(o.initial_sync.other_cpu_s / Math.max(o.initial_sync.wall_s, 0.001))} cores.`
      : '',
    o.incremental_sync ? `Incremental pull: ${o.incremental_sync.summary}.` : '',
    o.stores_identical_chunks !== undefined
      ? `Chunk stores of A and B identical after the incremental pull: ${o.stores_identical_chunks ? 'yes' : 'NO'}.`
      : '',
  ];
  for (const [k, v] of Object.entries(res.errors)) lines.push(`**${k} failed**: ${v}`);
  return lines.filter((l, i, a) => l !== '' || a[i - 1] !== '').join('\n');
}

export async function run({ root, args }) {
  const opts = syncOptions(root, args);
  if (opts.help) {
    process.stdout.write('sync benchmark (scripts/benchmarks/sync.mjs): same flags; BENCH_SYNC=0 skips it\n');
    return;
  }
  if (!opts.enabled) return;
  const started = new Date();
  const outDir = makeResultsDir(opts.benchWork, started, 'sync');
  const res = {
    run: {
      started: started.toISOString(),
      mode: opts.quick ? 'quick' : 'full',
      sizeMb: opts.sizeMb,
      nproc: os.cpus().length,
      node: process.version,
      load_avg: os.loadavg().map((x) => round(x, 2)),
    },
    ours: {},
    errors: {},
  };
  res.run.build = build(opts, outDir);
  try {
    await oursPart(opts, res, outDir);
  } catch (err) {
    res.errors.ours = errorText(err);
    log(`ERROR: ${res.errors.ours}`);
  }
  // the next run starts by deleting it (two stores of 65,536 dirs take a minute to delete here)
  if (opts.clean) fs.rmSync(opts.work, { recursive: true, force: true });
  res.run.duration_s = round((Date.now() - started.getTime()) / 1000, 1);
  const text = `${report(res, opts)}\n\nTotal run time ${res.run.duration_s} s; results in ${outDir}\n`;
  fs.writeFileSync(path.join(outDir, 'sync.json'), `${JSON.stringify(res, null, 2)}\n`);
  fs.writeFileSync(path.join(outDir, 'report.md'), text);
  process.stdout.write(`\n${text}`);
  if (Object.keys(res.errors).length > 0) process.exitCode = 1;
}
