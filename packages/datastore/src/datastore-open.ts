import { AppError } from '@pbs/api-types/errors';
import { CHUNK_PREFIX_COUNT, LOCK_FILE, type StorageBackend } from '@pbs/storage';
import { ChunkStore } from './chunk-store.js';
import type { OperationContext } from './operation-context.js';

/*
 * Creating and opening the chunk store of a datastore, with messages that say what is wrong.
 */

export async function createDatastoreStore(
  backend: StorageBackend,
  name: string,
  ctx?: OperationContext,
): Promise<ChunkStore> {
  ctx?.log(`creating chunk store with ${CHUNK_PREFIX_COUNT} prefix directories`);
  return ChunkStore.create(backend, {
    name,
    signal: ctx?.signal,
    onProgress: (fraction) => {
      const done = Math.min(CHUNK_PREFIX_COUNT, Math.round(fraction * CHUNK_PREFIX_COUNT));
      ctx?.progress({
        phase: 'creating chunk store',
        fraction: Math.min(1, fraction),
        itemsDone: done,
        itemsTotal: CHUNK_PREFIX_COUNT,
      });
    },
  });
}

export async function openDatastoreStore(backend: StorageBackend, name: string): Promise<ChunkStore> {
  try {
    return await ChunkStore.open(backend, { name });
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'NOT_FOUND') throw err;
    const base = await backend.statFile('');
    if (base?.kind !== 'dir') {
      throw new AppError(
        'NOT_FOUND',
        `datastore '${name}': directory '${backend.localBase}' does not exist`,
        { cause: err },
      );
    }
    const lock = await backend.statFile(LOCK_FILE);
    if (lock !== undefined) {
      throw new AppError(
        'CORRUPT_DATA',
        `datastore '${name}': incomplete chunk store layout at '${backend.localBase}' (${err.message})`,
        { cause: err },
      );
    }
    throw new AppError(
      'NOT_FOUND',
      `datastore '${name}': '${backend.localBase}' is not a datastore (${err.message})`,
      { cause: err },
    );
  }
}
