// Step 'setup': the benchmark store, kept between runs (deleting a million chunk files takes
// minutes on a discard-mounted ext4); created — and its creation timed — on the first run, after
// a change of the GC fixture parameters, or with --fresh.
import fs from 'node:fs';
import { createStore, hasNamespace, openStore } from '../store.mjs';
import { errorText, log, timed } from '../util.mjs';

async function recreate(p) {
  const removed = await timed(async () => {
    fs.rmSync(p.storeDir, { recursive: true, force: true });
    fs.rmSync(p.lockDir, { recursive: true, force: true });
  });
  log(`creating datastore '${p.name}' at ${p.storeDir} (65,536 prefix directories)`);
  const created = await timed(() => createStore(p));
  return { ds: created.value, create: created.m, remove: removed.m };
}

/**
 * Opens the store kept from the last run (or creates it), then drops the previous run's insert
 * namespace: its snapshots go, its chunks become garbage this run's GC sweeps.
 */
export async function setup(p) {
  let ds;
  let made;
  if (!p.reuse || !fs.existsSync(p.storeDir)) {
    made = await recreate(p);
    ds = made.ds;
  } else {
    try {
      ds = await openStore(p);
    } catch (err) {
      log(`cannot reuse ${p.storeDir} (${errorText(err)}): recreating it`);
      made = await recreate(p);
      ds = made.ds;
    }
  }
  let removedPrevious = null;
  if (await hasNamespace(ds, p.insertNs)) {
    const r = await timed(() => ds.removeNamespace(p.insertNs, { deleteGroups: true }));
    removedPrevious = { ...r.m, snapshots: r.value.removedSnapshots };
  }
  await ds.createNamespace('', p.insertNs);
  return {
    created: made !== undefined,
    create: made?.create ?? null,
    remove_old: made?.remove ?? null,
    removed_previous_insert: removedPrevious,
  };
}
