import fsp from 'node:fs/promises';
import path from 'node:path';
import { LocalFsBackend } from '@pbs/storage';
import { makeScratchDir } from './scratch-dir.js';
import { ChunkStore } from '../chunk-store.js';
import { vectorPath } from './vectors.js';

export interface VectorDatastore {
  readonly dir: string;
  readonly backend: LocalFsBackend;
  readonly store: ChunkStore;
  readonly cleanup: () => Promise<void>;
}

/** The snapshots of the vector datastore, as `<group>` → snapshot directory (relative). */
export const VECTOR_SNAPSHOTS = {
  'vec-plain': 'host/vec-plain/2023-11-14T22:13:20Z',
  'vec-enc': 'host/vec-enc/2023-11-14T23:13:20Z',
} as const;

/**
 * A writable copy of the vectors' `datastore/` with its layout completed (the 65536 prefix
 * directories and `.lock` that git cannot hold), opened as a ChunkStore named 'vectors'.
 */
export async function openVectorDatastore(
  opts: { clock?: { now(): number } } = {},
): Promise<VectorDatastore> {
  const dir = await makeScratchDir('pbs-vectors-');
  const base = path.join(dir, 'datastore');
  await fsp.cp(vectorPath('datastore'), base, { recursive: true });
  const backend = new LocalFsBackend({ name: 'vectors', base, syncLevel: 'none', clock: opts.clock });
  await backend.initChunkStore({ existingOk: true });
  const store = await ChunkStore.open(backend, { name: 'vectors' });
  return { dir: base, backend, store, cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
}
