// Steps 'list-seed' (10,000 small snapshots through the backup writer, sync level 'none', kept
// between runs) and 'list-engine' (Datastore.listSnapshots of that namespace, in a fresh process:
// the first call is "cold", the following ones "warm").
import { seedSnapshots } from '@pbs/datastore/testing';
import { hasNamespace, openStore } from '../store.mjs';
import { log, median, round, timed } from '../util.mjs';

export async function listSeed(p) {
  const ds = await openStore(p, { syncLevel: 'none' });
  if (await hasNamespace(ds, p.listNs)) await ds.removeNamespace(p.listNs, { deleteGroups: true });
  await ds.createNamespace('', p.listNs);
  log(`seeding ${p.snapshots} snapshots in namespace '${p.listNs}' (100 per group)`);
  const r = await timed(() => seedSnapshots(ds, p.snapshots, { ns: p.listNs, type: 'host', concurrency: 8 }));
  return { ...r.m, seeded: r.value, per_s: round(r.value / r.m.wall_s, 0) };
}

export async function listEngine(p) {
  const ds = await openStore(p);
  const cold = await timed(() => ds.listSnapshots(p.listNs));
  const count = cold.value.length;
  const warm = [];
  for (let i = 0; i < p.repeats; i++) {
    const r = await timed(() => ds.listSnapshots(p.listNs));
    warm.push(r.m.wall_s * 1000);
  }
  const group = [];
  for (let i = 0; i < p.repeats; i++) {
    const r = await timed(() => ds.listSnapshots(p.listNs, { type: 'host', id: 'seed-0' }));
    group.push(r.m.wall_s * 1000);
  }
  return {
    count,
    cold_ms: round(cold.m.wall_s * 1000, 1),
    cold: cold.m,
    warm_ms: round(median(warm), 1),
    warm_min_ms: round(Math.min(...warm), 1),
    warm_all_ms: warm.map((x) => round(x, 1)),
    group_warm_ms: round(median(group), 2),
  };
}
