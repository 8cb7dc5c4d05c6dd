// The peers: ../shared/bench/peers.sh (restic, borg from Debian) on the generated data set in
// this run, plus reference figures peers.sh does not take: listing latency of the peers'
// snapshots and prune/compact time (the closest thing the peers have to GC).
import { execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { errorText, log, median, round, timed } from './util.mjs';

const run = promisify(execFile);
const PASS = 'bench-password-not-secret';
export const APT_COMMAND = 'apt-get install -y restic borgbackup zstd lz4 time';

export function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export function toolOf(peer) {
  if (peer.startsWith('restic')) return 'restic';
  if (peer.startsWith('borg')) return 'borg';
  return undefined;
}

/** The environment peers.sh sets for a peer (use_peer), so we can run the tool on its repo. */
function peerEnv(peer, benchWork) {
  const d = path.join(benchWork, 'peers', peer);
  const repo = path.join(d, 'repo');
  if (toolOf(peer) === 'restic') {
    return { RESTIC_REPOSITORY: repo, RESTIC_PASSWORD: PASS, RESTIC_CACHE_DIR: path.join(d, 'cache') };
  }
  return { BORG_REPO: repo, BORG_PASSPHRASE: PASS, BORG_BASE_DIR: path.join(d, 'base') };
}

/** Runs peers.sh; its JSON lines go to `results`, its log lines to our stderr. */
export function runPeersScript({ sharedDir, benchWork, peers, sizeMb, results, outFile }) {
  return new Promise((resolve) => {
    const out = fs.openSync(outFile, 'w');
    const child = spawn('bash', [path.join(sharedDir, 'peers.sh')], {
      env: {
        ...process.env,
        BENCH_WORK: benchWork,
        PEERS: peers.join(' '),
        SIZE_MB: String(sizeMb),
        RESULTS: results,
      },
      stdio: ['ignore', out, 'inherit'],
    });
    child.on('exit', (code) => {
      fs.closeSync(out);
      resolve(code ?? 1);
    });
    child.on('error', (err) => {
      log(`peers.sh: ${errorText(err)}`);
      resolve(1);
    });
  });
}

export function readJsonLines(file) {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return null;
      }
    })
    .filter((r) => r !== null);
}

/** The data set without peers: generate it unless a base or mutated one of this size exists. */
export async function ensureDataset({ sharedDir, dataset, sizeMb }) {
  const marker = path.join(dataset, '.pbs-bench-dataset.json');
  try {
    const m = JSON.parse(fs.readFileSync(marker, 'utf8'));
    if (m.size_mb === sizeMb) return;
  } catch {
    // none yet
  }
  log(`generating the data set in ${dataset} (SIZE_MB=${sizeMb})`);
  await run(process.execPath, [path.join(sharedDir, 'gen-dataset.mjs'), 'gen', dataset], {
    env: { ...process.env, SIZE_MB: String(sizeMb) },
    maxBuffer: 64 * 1024 * 1024,
  });
}

async function tool(cmd, args, env) {
  const { stdout } = await run(cmd, args, { env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

async function resticReference(env) {
  const list = [];
  let snapshots = 0;
  for (let i = 0; i < 3; i++) {
    const r = await timed(() => tool('restic', ['snapshots', '--json', '--no-lock'], env));
    snapshots = JSON.parse(r.value).length;
    list.push(r.m.wall_s);
  }
  const stats = JSON.parse(await tool('restic', ['stats', '--mode', 'raw-data', '--json', '--no-lock'], env));
  const initial = JSON.parse(
    await tool('restic', ['snapshots', '--tag', 'initial', '--json', '--no-lock'], env),
  );
  const id = initial[0]?.id;
  if (!id) throw new Error('no snapshot tagged initial');
  const prune = await timed(() => tool('restic', ['forget', id, '--prune'], env));
  return {
    list_s: round(median(list), 3),
    list_snapshots: snapshots,
    objects: stats.total_blob_count ?? null,
    object_kind: 'blobs',
    prune: prune.m,
    prune_what: 'restic forget <initial> --prune',
  };
}

async function borgReference(env) {
  const list = [];
  let snapshots = 0;
  for (let i = 0; i < 3; i++) {
    const r = await timed(() => tool('borg', ['list', '--json'], env));
    snapshots = JSON.parse(r.value).archives.length;
    list.push(r.m.wall_s);
  }
  const info = JSON.parse(await tool('borg', ['info', '--json'], env));
  const prune = await timed(async () => {
    await tool('borg', ['delete', '::initial'], env);
    await tool('borg', ['compact'], env);
  });
  return {
    list_s: round(median(list), 3),
    list_snapshots: snapshots,
    objects: info.cache?.stats?.total_unique_chunks ?? null,
    object_kind: 'chunks',
    prune: prune.m,
    prune_what: 'borg delete ::initial + borg compact',
  };
}

/** Listing and prune references per peer; a failing peer gets { error }. Mutates the peer repos. */
export async function peerReferences(peers, benchWork) {
  const out = {};
  for (const peer of peers) {
    const env = peerEnv(peer, benchWork);
    try {
      log(`reference: ${peer} snapshot listing and prune`);
      out[peer] = toolOf(peer) === 'restic' ? await resticReference(env) : await borgReference(env);
    } catch (err) {
      out[peer] = { error: errorText(err) };
    }
  }
  return out;
}
