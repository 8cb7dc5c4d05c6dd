import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@pbs/api-types/errors';
import { DataBlob } from '../data-blob.js';
import { MANIFEST_BLOB_NAME } from '../manifest.js';
import { makeTestDatastore, seedSnapshot, type TestDatastore } from '../testing/index.js';
import { silentContext } from '../operation-context.js';
import { runVerify } from '../verify/verify-run.js';

const cleanups: TestDatastore[] = [];
afterEach(async () => {
  for (const t of cleanups.splice(0)) await t.cleanup();
});

async function copySnapshot(from: TestDatastore, to: TestDatastore, time: number, ns = '') {
  const snap = { type: 'host' as const, id: 'h1', time };
  const reader = await from.ds.openReader('', snap);
  try {
    const { manifest, raw } = await from.ds.loadManifest('', snap);
    const files = [];
    for (const f of manifest.files) {
      const data = await reader.readFile(f.filename);
      files.push({ name: f.filename, data });
      if (f.filename.endsWith('idx')) {
        const index = await from.ds.openIndex('', snap, f.filename);
        for (const d of index.digests()) {
          await to.ds.chunkStore.insertChunk(d, DataBlob.fromRaw((await reader.loadChunk(d)).raw, d));
        }
      }
    }
    await to.ds.importSnapshot({ ns, snapshot: snap, authId: 'root@pam', files, manifest: raw });
    return { snap, files, raw };
  } finally {
    reader.close();
  }
}

describe('importSnapshot', () => {
  it('imports raw files manifest last; verify passes; byte-identical; older times allowed; twice is ALREADY_EXISTS', async () => {
    const a = await makeTestDatastore();
    const b = await makeTestDatastore();
    cleanups.push(a, b);
    for (const time of [1000, 2000]) {
      await seedSnapshot(a.ds, {
        type: 'host',
        id: 'h1',
        time,
        files: [
          { name: 'root.pxar.didx', data: Buffer.alloc(200_000, time % 251) },
          { name: 'disk.img.fidx', data: Buffer.alloc(100_000, 7) },
          { name: 'notes.blob', data: Buffer.from(`t${time}`) },
        ],
      });
    }
    const first = await copySnapshot(a, b, 2000);
    await copySnapshot(a, b, 1000); // older than the group's last snapshot: still fine
    const reader = await b.ds.openReader('', first.snap);
    for (const f of first.files) expect((await reader.readFile(f.name)).equals(f.data)).toBe(true);
    expect((await reader.readFile(MANIFEST_BLOB_NAME)).equals(first.raw)).toBe(true);
    reader.close();
    const result = await runVerify(b.ds, { ...silentContext(), upid: 'UPID:test' }, { ns: '' });
    expect(result.failedSnapshots).toEqual([]);
    expect(result.verifiedSnapshots).toBe(2);
    await expect(copySnapshot(a, b, 2000)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
  });

  it('refuses a manifest of another snapshot and an unknown namespace', async () => {
    const a = await makeTestDatastore();
    cleanups.push(a);
    await seedSnapshot(a.ds, { type: 'host', id: 'h1', time: 1000 });
    const { raw } = await a.ds.loadManifest('', { type: 'host', id: 'h1', time: 1000 });
    await expect(
      a.ds.importSnapshot({
        ns: '',
        snapshot: { type: 'host', id: 'h2', time: 1000 },
        authId: 'root@pam',
        files: [],
        manifest: raw,
      }),
    ).rejects.toMatchObject({ code: 'CORRUPT_DATA' });
    const err: unknown = await a.ds
      .importSnapshot({
        ns: 'nope',
        snapshot: { type: 'host', id: 'h1', time: 1000 },
        authId: 'root@pam',
        files: [],
        manifest: raw,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('NOT_FOUND');
    expect((await a.ds.listGroups('')).map((g) => g.id)).toEqual(['h1']);
  });
});
