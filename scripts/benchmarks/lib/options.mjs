// Parameters of `npm run bench` (flags after `--`, environment variables); see README.md here.
import os from 'node:os';
import path from 'node:path';

const FLAGS = ['--quick', '--no-peers', '--drop-caches', '--fresh', '--no-build', '--clean', '--help'];

function envInt(name, dflt) {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isFinite(n) || n <= 0) throw new Error(`bad ${name}=${v}`);
  return Math.round(n);
}

export const USAGE = `npm run bench -- [--quick] [--no-peers] [--drop-caches] [--fresh] [--no-build] [--clean]
  --quick        small sizes (SIZE_MB=128, 100,000 GC chunks, 2,000 snapshots), a few minutes
  --no-peers     skip peers.sh and the peer references (our figures only)
  --drop-caches  drop the page cache (root) before verify and the listings: cold = from disk
  --fresh        recreate the kept benchmark datastore (deleting 1M chunk files takes minutes)
  --no-build     do not run tsc -b first (use the packages' dist as it is)
  --clean        delete the benchmark datastore after the run
env: BENCH_WORK PEERS SIZE_MB BENCH_GC_CHUNKS BENCH_GC_GARBAGE BENCH_SNAPSHOTS BENCH_RANDOM_MB
     BENCH_INSERT_CONCURRENCY BENCH_SHARED`;

export function parseOptions(root, args) {
  const unknown = args.filter((a) => !FLAGS.includes(a));
  if (unknown.length > 0) throw new Error(`unknown argument(s) ${unknown.join(' ')}\n${USAGE}`);
  const has = (flag) => args.includes(flag);
  const quick = has('--quick');
  const benchWork = path.resolve(process.env.BENCH_WORK || path.join(os.tmpdir(), 'pbs-bench'));
  const gcChunks = envInt('BENCH_GC_CHUNKS', quick ? 100_000 : 1_000_000);
  const garbage = Number(process.env.BENCH_GC_GARBAGE || 0.1);
  if (!(garbage >= 0 && garbage < 1)) throw new Error(`bad BENCH_GC_GARBAGE=${process.env.BENCH_GC_GARBAGE}`);
  const peers = (process.env.PEERS ?? 'restic borg-lz4 borg-zstd3').split(/\s+/).filter(Boolean);
  return {
    help: has('--help'),
    quick,
    withPeers: !has('--no-peers') && peers.length > 0,
    dropCaches: has('--drop-caches'),
    fresh: has('--fresh'),
    build: !has('--no-build'),
    clean: has('--clean'),
    root,
    benchWork,
    sharedDir: path.resolve(process.env.BENCH_SHARED || path.join(root, '..', 'shared', 'bench')),
    peers,
    sizeMb: envInt('SIZE_MB', quick ? 128 : 1024),
    gcChunks,
    gcGarbage: garbage,
    gcSnapshots: 10,
    snapshots: envInt('BENCH_SNAPSHOTS', quick ? 2_000 : 10_000),
    randomBytes: envInt('BENCH_RANDOM_MB', quick ? 64 : 512) * 1024 * 1024,
    compressibleBytes: 1024 * 1024 * 1024,
    concurrency: envInt('BENCH_INSERT_CONCURRENCY', 4),
    repeats: 5,
    serverRepeats: 3,
    pageSize: 200,
  };
}
