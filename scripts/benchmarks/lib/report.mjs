// The one markdown table of the datastore benchmark: our figures, the peers' figures from the
// same run, and speed ratios (> 1 = ours faster: our MB/s ÷ theirs, or their time ÷ ours).
const fmt = (v, d = 1) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d));
const int = (v) => (v === null || v === undefined ? '–' : Math.round(v).toLocaleString('en-US'));
const ratio = (x) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${x.toFixed(2)}×`);

/** other processes' CPU during a step, as cores (this machine is shared) */
function load(m) {
  if (!m || !m.wall_s) return '';
  const cores = m.other_cpu_s / m.wall_s;
  return cores >= 0.1 ? `; other load ${cores.toFixed(1)} cores` : '';
}

function peerRow(r, phase) {
  return (r.peers?.rows ?? []).find((x) => x.bench === 'peers' && x.peer === r.peer && x.phase === phase);
}

/**
 * A row: `ours` (number), `peer(name)` → number | undefined, `kind`: 'rate' (higher is better),
 * 'time' (lower is better) or 'ref' (peer figure is a reference only, no ratio).
 */
function row(res, spec) {
  const cells = [
    spec.label,
    spec.ours === undefined ? '–' : (spec.oursText ?? fmt(spec.ours, spec.digits ?? 1)),
  ];
  const peers = res.peers.names;
  const values = peers.map((p) => (spec.peer ? spec.peer(p) : undefined));
  for (const [i, p] of peers.entries()) {
    const v = values[i];
    cells.push(
      !res.peers.available.includes(p)
        ? 'n/a'
        : v === undefined
          ? '–'
          : (spec.peerText?.(p) ?? fmt(v, spec.digits ?? 1)),
    );
  }
  for (const [i, p] of peers.entries()) {
    const v = values[i];
    let r = '–';
    if (
      res.peers.available.includes(p) &&
      v !== undefined &&
      spec.ours !== undefined &&
      spec.kind !== 'ref'
    ) {
      r = ratio(spec.kind === 'rate' ? spec.ours / v : v / spec.ours);
    } else if (spec.kind === 'ref' && v !== undefined) r = 'ref';
    cells.push(r);
  }
  cells.push(spec.note ?? '');
  return cells;
}

export const FOOTNOTES = [
  "¹ Ours is the server-side insert path only, as an upload reaches it: BackupWriter.insertChunk (parse, decode, SHA-256 and length check, CRC rewrite) and ChunkStore.insertChunk (stat, temp file, rename), then index, manifest and finish with syncfs (sync level filesystem). Not a full client backup (no file walk, chunker or client-side compression; the client arrives with issue 4). The peers' figure is their full initial backup of the data set, the closest they have.",
  '² Ours: runVerify (load + CRC, decode, SHA-256 and size per distinct chunk) over the insert snapshots, stored bytes per second. Peers: `restic check --read-data` / `borg check --verify-data`, repository bytes per second. Page cache warm for both unless --drop-caches (ours only).',
  '³ GC has no peer counterpart: the peer cell is a reference for scale (prune of the initial snapshot of their data-set repo: `restic forget --prune`, `borg delete` + `borg compact`, with their object count), no ratio. Our fixture chunks are 28-byte files: GC cost is per file (stat, utimes, unlink), not per byte.',
  '⁴ Listing has no peer counterpart at 10,000 snapshots: each restic/borg snapshot is a full tool run (~0.7 s here), so 10,000 would take ~2 h. The peer cell is `restic snapshots --json` / `borg list --json` on their data-set repo (snapshot count in the cell), median of 3, including process start and key derivation: a reference, no ratio.',
];

export function renderTable(res) {
  const o = res.ours;
  const peers = res.peers.names;
  const phase = (p, ph) => peerRow({ ...res, peer: p }, ph);
  const ref = (p) => res.peers.references?.[p];
  const rows = [];
  const create = o.setup?.create;
  rows.push(
    row(res, {
      label: 'datastore create (65,536 dirs) / repo init, s',
      ours: create?.wall_s,
      digits: 2,
      kind: 'time',
      peer: (p) => phase(p, 'init')?.wall_s,
      note: create
        ? `Datastore.create of the benchmark store (this run created it)${load(create)}`
        : 'ours not measured: the benchmark store is kept between runs (npm run bench -- --fresh recreates and times it)',
    }),
  );
  for (const kind of ['compressible', 'random']) {
    const ins = o.insert?.results?.find((x) => x.kind === kind);
    if (!ins) continue;
    const cpu = ins.server_cpu;
    rows.push(
      row(res, {
        label: `chunk insert¹, ${kind} 4 MiB chunks, MB/s`,
        ours: ins.mb_s,
        kind: 'rate',
        peer: (p) => phase(p, 'initial_backup')?.mb_s,
        note:
          `${ins.chunks} chunks, ${fmt(ins.plain_bytes / 1e6, 0)} MB, stored ${fmt(ins.plain_bytes / ins.stored_bytes, 2)}× smaller; ` +
          `without the final syncfs ${fmt(ins.mb_s_no_sync)} MB/s; server CPU alone (decode + SHA-256 + CRC) ${fmt(cpu?.mb_s)} MB/s; ` +
          `client-side encode (SHA-256 + zstd-1, not timed above) ${fmt(ins.client_encode_mb_s)} MB/s${load(ins.insert)}`,
      }),
    );
  }
  const dup = o.insert?.results?.find((x) => x.kind === 'duplicate');
  if (dup) {
    rows.push(
      row(res, {
        label: 'chunk insert, duplicates (compressible again), MB/s',
        ours: dup.mb_s,
        kind: 'rate',
        note: `${dup.duplicates}/${dup.chunks} found as duplicates (stat + atime touch after the upload checks); no peer counterpart${load(dup.insert)}`,
      }),
    );
  }
  const v = o.verify;
  if (v) {
    rows.push(
      row(res, {
        label: 'verify², MB/s of stored chunk data',
        ours: v.mb_s,
        kind: 'rate',
        peer: (p) => phase(p, 'verify')?.mb_s,
        note: `runVerify over the insert snapshots: ${fmt(v.stored_bytes / 1e6, 0)} MB stored = ${fmt(v.plain_bytes / 1e6, 0)} MB plaintext, ${fmt(v.plain_mb_s)} MB/s of plaintext${load(v)}`,
      }),
    );
  }
  const g = o.gc;
  if (g) {
    const perFile = (g.wall_s / g.chunk_files) * 1e6;
    rows.push(
      row(res, {
        label: `GC³ (mark + sweep), ${int(g.chunk_files)} chunk files, s`,
        ours: g.wall_s,
        kind: 'ref',
        peer: (p) => ref(p)?.prune?.wall_s,
        peerText: (p) => `${fmt(ref(p).prune.wall_s, 2)} (${int(ref(p).objects)} ${ref(p).object_kind})`,
        note: `${fmt(perFile, 1)} µs per chunk file; removed ${int(g.removed_chunks)}, kept ${int(g.disk_chunks)}; digest cache hits ${int(g.cache?.hits)}${load(g)}`,
      }),
      row(res, {
        label: '  GC phase 1 (mark), s',
        ours: g.mark_s,
        digits: 2,
        kind: 'ref',
        note: `${int(g.cache?.misses)} chunks touched (lstat + utimes each)`,
      }),
      row(res, {
        label: '  GC phase 2 (sweep), s',
        ours: g.sweep_s,
        digits: 2,
        kind: 'ref',
        note: `lists all 65,536 prefix dirs, stats every chunk file, unlinks ${int(g.removed_chunks)}`,
      }),
    );
  }
  const le = o.listEngine;
  if (le) {
    rows.push(
      row(res, {
        label: `list⁴ ${int(le.count)} snapshots, Datastore.listSnapshots cold, ms`,
        ours: le.cold_ms,
        kind: 'ref',
        peer: (p) => (ref(p)?.list_s === undefined ? undefined : ref(p).list_s * 1000),
        peerText: (p) => `${fmt(ref(p).list_s * 1000, 0)} (${ref(p).list_snapshots} snapshots)`,
        note: `first call in a fresh process${res.run.dropCaches ? ' after dropping the page cache' : ' (page cache warm)'}${load(le.cold)}`,
      }),
      row(res, {
        label: `list ${int(le.count)} snapshots, warm, ms`,
        ours: le.warm_ms,
        kind: 'ref',
        note: `median of ${le.warm_all_ms?.length}; one group of 100: ${fmt(le.group_warm_ms, 2)} ms`,
      }),
    );
  }
  const t = o.trpc;
  if (t) {
    rows.push(
      row(res, {
        label: `tRPC snapshot.list, first page (${t.page} of ${int(t.total)}), cold, ms`,
        ours: t.cold_ms,
        kind: 'ref',
        note: `real server over loopback HTTP; first request after start (opens the datastore)${res.run.dropCaches ? ', page cache dropped' : ''}${load(t.cold)}`,
      }),
      row(res, {
        label: `tRPC snapshot.list, first page, warm, ms`,
        ours: t.warm_ms,
        kind: 'ref',
        note: `median of ${t.warm_all_ms?.length}; REST /admin/datastore/…/snapshots (all ${int(t.rest_count)}) warm: ${fmt(t.rest_warm_ms)} ms`,
      }),
    );
  }
  const head = ['measurement', 'ours', ...peers.map((p) => p), ...peers.map((p) => `× ${p}`), 'notes'];
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}
