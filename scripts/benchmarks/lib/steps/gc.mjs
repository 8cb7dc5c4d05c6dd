// Steps 'gc-fixture' and 'gc'. The fixture: N small chunk files; the first (1 - garbage)·N are
// referenced by the dynamic indexes of S snapshots in their own namespace (each snapshot its
// slice plus the last 20 % of the previous slice, so GC's digest cache gets hits), the rest is
// garbage. Referenced chunks and snapshots stay between runs; the garbage is written again each
// run. GC itself runs with a clock days ahead (kept growing from run to run), so the garbage, the
// previous run's insert chunks and everything else unreferenced is older than the cutoff: the
// sweep removes it, the mark phase touches every referenced chunk.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  DataBlob,
  DynamicIndexWriter,
  encodeManifestBlob,
  formatSnapshotPath,
  MANIFEST_BLOB_NAME,
  runGarbageCollection,
  ZERO_CHUNK_DIGEST,
} from '@pbs/datastore';
import { seedSnapshot } from '@pbs/datastore/testing';
import { gcBlob, gcDigest, gcPlain } from '../gc-chunks.mjs';
import { benchContext, hasNamespace, openStore } from '../store.mjs';
import { log, round, timed } from '../util.mjs';

const PLAIN = 16;
const OVERLAP = 0.2;
const GROUP = { type: 'host', id: 'gc-fixture' };
const WORKER = new URL('../gc-chunks.mjs', import.meta.url);

function writeChunks(storeDir, from, to, workers) {
  const chunkDir = path.join(storeDir, '.chunks');
  const runs = Array.from(
    { length: workers },
    (_, worker) =>
      new Promise((resolve, reject) => {
        const w = new Worker(WORKER, {
          workerData: { kind: 'gc-chunks', chunkDir, from, to, worker, workers },
        });
        w.once('message', (m) => resolve(m.written));
        w.once('error', reject);
        w.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`chunk writer exited ${code}`))));
      }),
  );
  return Promise.all(runs).then((counts) => counts.reduce((a, b) => a + b, 0));
}

/** The digests snapshot k references: its slice of [0, referenced) and the previous slice's tail. */
function referencesOf(k, referenced, snapshots) {
  const slice = (j) => [
    Math.floor((j * referenced) / snapshots),
    Math.floor(((j + 1) * referenced) / snapshots),
  ];
  const [from, to] = slice(k);
  const ids = [];
  if (k > 0) {
    const [pf, pt] = slice(k - 1);
    for (let i = pt - Math.floor((pt - pf) * OVERLAP); i < pt; i++) ids.push(i);
  }
  for (let i = from; i < to; i++) ids.push(i);
  return ids;
}

async function writeSnapshot(ds, p, k, referenced) {
  const time = 1_700_000_000 + k * 3600;
  const snap = { ...GROUP, time };
  await seedSnapshot(ds, { ns: p.gcNs, ...GROUP, time });
  const dir = formatSnapshotPath(p.gcNs, snap);
  const index = await DynamicIndexWriter.create(ds.backend, `${dir}/data.didx`, { ctime: time });
  const ids = referencesOf(k, referenced, p.gcSnapshots);
  for (const [n, i] of ids.entries()) await index.addChunk((n + 1) * PLAIN, gcDigest(i));
  const csum = (await index.close()).toString('hex');
  const { manifest } = await ds.loadManifest(p.gcNs, snap);
  const files = [
    ...manifest.files,
    { filename: 'data.didx', cryptMode: 'none', size: ids.length * PLAIN, csum },
  ];
  await ds.backend.writeFile(`${dir}/${MANIFEST_BLOB_NAME}`, encodeManifestBlob({ ...manifest, files }).raw);
  return ids.length;
}

export async function gcFixture(p) {
  const sample = DataBlob.encode(gcPlain(7), { compress: false }).raw;
  if (!sample.equals(gcBlob(7))) throw new Error('gc-chunks.mjs encodes blobs differently from DataBlob');
  const ds = await openStore(p, { syncLevel: 'none' });
  const referenced = Math.round(p.gcChunks * (1 - p.gcGarbage));
  const out = { referenced, garbage: p.gcChunks - referenced, built: !p.fixtureReady };
  if (!p.fixtureReady) {
    if (await hasNamespace(ds, p.gcNs)) await ds.removeNamespace(p.gcNs, { deleteGroups: true });
    await ds.createNamespace('', p.gcNs);
    log(`gc fixture: writing ${p.gcChunks} chunk files (first run on this store; later runs reuse them)`);
    const w = await timed(() => writeChunks(p.storeDir, 0, p.gcChunks, p.workers));
    const idx = await timed(async () => {
      let entries = 0;
      for (let k = 0; k < p.gcSnapshots; k++) entries += await writeSnapshot(ds, p, k, referenced);
      return entries;
    });
    return { ...out, written: w.value, write: w.m, index: idx.m, index_entries: idx.value };
  }
  log(`gc fixture: writing ${out.garbage} garbage chunk files`);
  const w = await timed(() => writeChunks(p.storeDir, referenced, p.gcChunks, p.workers));
  return { ...out, written: w.value, write: w.m, files_per_s: round(w.value / w.m.wall_s, 0) };
}

/**
 * GC's clock: at least `minClockMs`, and days past the zero chunk's atime (GC's atime check
 * touches it at its clock time and waits for the clock to pass the previous touch).
 */
async function gcClockMs(p) {
  const ds = await openStore(p);
  const zero = await ds.chunkStore.statChunk(ZERO_CHUNK_DIGEST);
  return Math.max(p.minClockMs, (zero?.atimeMs ?? 0) + p.clockStepMs);
}

export async function gc(p) {
  const clockMs = await gcClockMs(p);
  const offset = clockMs - Date.now();
  const clock = { now: () => Date.now() + offset };
  const ds = await openStore(p, { clock });
  const phases = {};
  const lines = [];
  const ctx = benchContext((message, t) => {
    if (message.startsWith('Start GC phase1')) phases.mark = t;
    if (message.startsWith('Start GC phase2')) phases.sweep = t;
    if (!/^(marked|processed) \d+%/.test(message)) lines.push(message);
  });
  log(`gc: mark and sweep (clock ${new Date(clockMs).toISOString()})`);
  const r = await timed(() => runGarbageCollection(ds, ctx));
  const end = r.m.wall_s * 1000;
  const s = r.value;
  return {
    ...r.m,
    clock_ms: clockMs,
    atime_check_s: round((phases.mark ?? 0) / 1000, 3),
    mark_s: round(((phases.sweep ?? end) - (phases.mark ?? 0)) / 1000, 2),
    sweep_s: round((end - (phases.sweep ?? end)) / 1000, 2),
    chunk_files: s.diskChunks + s.removedChunks + s.pendingChunks,
    removed_chunks: s.removedChunks,
    removed_bytes: s.removedBytes,
    disk_chunks: s.diskChunks,
    pending_chunks: s.pendingChunks,
    index_files: s.indexFileCount,
    cache: s.cacheStats,
    warnings: ctx.warnings,
    log: lines.slice(0, 40),
  };
}
