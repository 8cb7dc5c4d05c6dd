import fs from 'node:fs';
import path from 'node:path';
import { LocalFsBackend } from '@pbs/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZERO_CHUNK_DIGEST } from './chunk-store.js';
import { Datastore } from './datastore.js';
import type { TaskProgress } from '@pbs/api-types/domain';
import { makeScratchDir } from './testing/index.js';

/** the AppError a promise rejects with */
async function rejection(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error('expected a rejection');
}

let dir: string;

beforeEach(async () => {
  dir = await makeScratchDir('pbs-open-');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function options(base: string) {
  return {
    name: 'store1',
    backend: new LocalFsBackend({ name: 'store1', base, syncLevel: 'none' }),
    lockDir: path.join(dir, 'locks'),
  };
}

describe('Datastore.create / open', () => {
  it('creates the PBS layout with progress over the 65536 prefix directories', async () => {
    const base = path.join(dir, 'store');
    const progress: Partial<TaskProgress>[] = [];
    const ctx = {
      signal: new AbortController().signal,
      log: () => undefined,
      warn: () => undefined,
      progress: (p: Partial<TaskProgress>) => progress.push(p),
    };
    const ds = await Datastore.create({ ...options(base), ctx });
    expect(fs.readdirSync(path.join(base, '.chunks'))).toHaveLength(65536);
    expect(fs.existsSync(path.join(base, '.lock'))).toBe(true);
    expect(fs.existsSync(path.join(base, '.gc-status'))).toBe(false);
    expect(await ds.chunkStore.statChunk(ZERO_CHUNK_DIGEST)).toMatchObject({ isFile: true });
    expect(progress.at(-1)).toMatchObject({ itemsDone: 65536, itemsTotal: 65536, fraction: 1 });
    expect(progress.length).toBeGreaterThan(10);
    await Datastore.open(options(base));
    await expect(Datastore.create(options(base))).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
  }, 60_000);

  it('says what is wrong when the directory is not a datastore', async () => {
    const missing = await rejection(Datastore.open(options(path.join(dir, 'missing'))));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/does not exist/);
    const plain = path.join(dir, 'plain');
    fs.mkdirSync(plain);
    const notStore = await rejection(Datastore.open(options(plain)));
    expect(notStore.code).toBe('NOT_FOUND');
    expect(notStore.message).toMatch(/is not a datastore/);
    fs.writeFileSync(path.join(plain, '.lock'), '');
    await expect(Datastore.open(options(plain))).rejects.toMatchObject({ code: 'CORRUPT_DATA' });
    await expect(Datastore.open({ ...options(plain), name: '../x' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('honours cancellation while creating', async () => {
    const controller = new AbortController();
    controller.abort();
    const ctx = {
      signal: controller.signal,
      log: () => undefined,
      warn: () => undefined,
      progress: () => undefined,
    };
    await expect(Datastore.create({ ...options(path.join(dir, 's')), ctx })).rejects.toThrow();
  });
});
