import fsp from 'node:fs/promises';
import path from 'node:path';
import { LocalFsBackend, LOCK_FILE, CHUNK_DIR } from '@pbs/storage';
import { makeScratchDir } from './scratch-dir.js';
import { Datastore } from '../datastore.js';
import type { DatastoreTuning } from '../datastore-core.js';

/*
 * A datastore on tmpfs for tests. Without `full`, the layout is `.chunks` and `.lock` only:
 * the chunk store creates prefix directories on demand and its listings skip missing ones, so
 * tests do not pay for 65,536 mkdirs. The backend and the datastore share one clock.
 */

export interface TestDatastore {
  readonly ds: Datastore;
  readonly base: string;
  readonly lockDir: string;
  readonly backend: LocalFsBackend;
  cleanup(): Promise<void>;
  /** a second Datastore instance over the same directories (like a re-open by the server) */
  reopen(): Promise<Datastore>;
}

export interface TestDatastoreOptions {
  name?: string;
  clock?: { now(): number };
  tuning?: Partial<DatastoreTuning>;
  /** create all 65,536 prefix directories, as Datastore.create does */
  full?: boolean;
}

export async function makeTestDatastore(opts: TestDatastoreOptions = {}): Promise<TestDatastore> {
  const dir = await makeScratchDir('pbs-ds-');
  const base = path.join(dir, 'store');
  const lockDir = path.join(dir, 'run', 'locks', 'store');
  const name = opts.name ?? 'store1';
  const backend = new LocalFsBackend({ name, base, syncLevel: 'none', clock: opts.clock });
  const common = { name, backend, lockDir, clock: opts.clock, tuning: opts.tuning };
  let ds: Datastore;
  if (opts.full) {
    ds = await Datastore.create(common);
  } else {
    await fsp.mkdir(path.join(base, CHUNK_DIR), { recursive: true });
    await fsp.writeFile(path.join(base, LOCK_FILE), '');
    ds = await Datastore.open(common);
    await ds.chunkStore.insertZeroChunk();
  }
  return {
    ds,
    base,
    lockDir,
    backend,
    cleanup: () => fsp.rm(dir, { recursive: true, force: true }),
    reopen: () => Datastore.open(common),
  };
}
