// Step 'trpc': the real server binary (apps/bff/dist/src/main.js, plain HTTP on loopback) over a
// fresh data dir; it takes the benchmark store over (datastore.create with reuseDatastore), then
// the UI's call is timed: tRPC snapshot.list, first page (newest first), cold = the first call
// after the server started (it opens the datastore), warm = the median of the next calls. The
// PBS REST listing (all snapshots, one response) is timed warm for reference.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { log, median, processCpuSeconds, round, timed } from '../util.mjs';

const PASSWORD = 'bench-admin-password-not-secret';

function startServer(p) {
  const main = path.join(p.root, 'apps', 'bff', 'dist', 'src', 'main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: build apps/bff (npx tsc -b apps/bff)`);
  fs.rmSync(p.serverDir, { recursive: true, force: true });
  const child = spawn(
    process.execPath,
    [main, '--http', '--listen', '127.0.0.1', '--port', '0', '--data-dir', p.serverDir],
    {
      env: {
        ...process.env,
        PBS_DEFAULT_DATASTORE: 'none',
        PBS_ADMIN_PASSWORD: PASSWORD,
        PBS_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = new Promise((resolve, reject) => {
    const onData = (data) => {
      output += data.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
  return { child, url };
}

async function stopServer(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function checked(res, what) {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

async function login(url) {
  const body = new URLSearchParams({ username: 'admin@pbs', password: PASSWORD });
  const res = await fetch(`${url}/api2/json/access/ticket`, { method: 'POST', body });
  const { data } = await checked(res, 'login');
  const cookie = `PBSAuthCookie=${encodeURIComponent(data.ticket)}`;
  return { cookie, csrf: data.CSRFPreventionToken };
}

function client(url, session) {
  const query = async (proc, input) => {
    const q = encodeURIComponent(JSON.stringify(input));
    const res = await fetch(`${url}/trpc/${proc}?input=${q}`, { headers: { cookie: session.cookie } });
    return (await checked(res, proc)).result.data;
  };
  const mutation = async (proc, input) => {
    const res = await fetch(`${url}/trpc/${proc}`, {
      method: 'POST',
      headers: {
        cookie: session.cookie,
        CSRFPreventionToken: session.csrf,
        'content-type': 'application/json',
      },
      body: JSON.stringify(input),
    });
    return (await checked(res, proc)).result.data;
  };
  const rest = async (apiPath) => {
    const res = await fetch(`${url}/api2/json${apiPath}`, { headers: { cookie: session.cookie } });
    return checked(res, apiPath);
  };
  return { query, mutation, rest };
}

async function waitTask(api, upid) {
  for (let i = 0; i < 600; i++) {
    const status = await api.query('task.get', { upid });
    if (status.state !== 'running') return status;
    await sleep(100);
  }
  throw new Error(`task ${upid} did not finish`);
}

export async function trpc(p) {
  const { child, url: pending } = startServer(p);
  try {
    const url = await pending;
    const api = client(url, await login(url));
    const { taskId } = await api.mutation('datastore.create', {
      name: p.name,
      path: p.storeDir,
      reuseDatastore: true,
    });
    const task = await waitTask(api, taskId);
    if (task.state !== 'ok') throw new Error(`datastore.create: ${task.state} ${task.status ?? ''}`);
    log(`server at ${url} took the store over; timing snapshot.list`);
    const input = { store: p.name, ns: p.listNs, start: 0, limit: p.pageSize };
    const serverCpu = () => processCpuSeconds(child.pid);
    const cold = await timed(() => api.query('snapshot.list', input), serverCpu);
    const warm = [];
    for (let i = 0; i < p.repeats; i++) {
      const r = await timed(() => api.query('snapshot.list', input), serverCpu);
      warm.push(r.m.wall_s * 1000);
    }
    const restPath = `/admin/datastore/${p.name}/snapshots?ns=${encodeURIComponent(p.listNs)}`;
    const rest = [];
    let restCount = 0;
    for (let i = 0; i < p.repeats; i++) {
      const r = await timed(() => api.rest(restPath), serverCpu);
      rest.push(r.m.wall_s * 1000);
      restCount = r.value.data.length;
    }
    return {
      total: cold.value.total,
      page: cold.value.items.length,
      cold_ms: round(cold.m.wall_s * 1000, 1),
      cold: cold.m,
      warm_ms: round(median(warm), 1),
      warm_all_ms: warm.map((x) => round(x, 1)),
      rest_count: restCount,
      rest_warm_ms: round(median(rest), 1),
    };
  } finally {
    await stopServer(child);
  }
}
