import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listingRecord, type ListingRecord } from '../testing/listing.js';
import { PXAR_TESTDATA_DIR, loadVectorTree } from '../testing/vector-tree.js';
import { PxarAccessor, type PxarFileEntry, type ReadAt } from './accessor.js';

const read = (name: string): Buffer => fs.readFileSync(path.join(PXAR_TESTDATA_DIR, name));
const tree = loadVectorTree();

function readerOf(buf: Buffer, calls?: { n: number }): ReadAt {
  return (offset, length) => {
    if (calls) calls.n++;
    return Promise.resolve(buf.subarray(offset, Math.min(buf.length, offset + length)));
  };
}

async function sha256Of(entry: PxarFileEntry): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of entry.contents()) hash.update(chunk);
  return hash.digest('hex');
}

const listing = (name: string): Map<string, ListingRecord> =>
  new Map(
    read(name)
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as ListingRecord)
      .map((r) => [r.path as string, r]),
  );

async function openVector(split: boolean): Promise<PxarAccessor> {
  if (!split) {
    const a = read('tree.pxar');
    return PxarAccessor.open(readerOf(a), a.length, { name: 'tree.pxar' });
  }
  const m = read('tree.mpxar');
  const p = read('tree.ppxar');
  return PxarAccessor.open(readerOf(m), m.length, {
    name: 'tree.mpxar',
    payload: { read: readerOf(p), size: p.length },
  });
}

describe.each([
  ['unified', false, 'tree.pxar.list.jsonl'],
  ['split', true, 'tree.mpxar.list.jsonl'],
])('random access to the %s vector', (_label, split, listName) => {
  it('looks up every entry by path with the metadata of the sequential listing', async () => {
    const accessor = await openVector(split);
    const expected = listing(listName);
    for (const e of tree.entries) {
      const found = await accessor.lookup(`/${e.path}`);
      expect(found, e.path).not.toBeNull();
      const entry = found as PxarFileEntry;
      const record = listingRecord(entry.entry);
      if (entry.entry.kind.type === 'file') record.sha256 = await sha256Of(entry);
      expect(record).toEqual(expected.get(`/${e.path}`));
    }
    expect(listingRecord((await accessor.lookup('/'))?.entry as never)).toEqual(expected.get('/'));
  });

  it('lists directories in name order and returns null for missing paths', async () => {
    const accessor = await openVector(split);
    const root = await accessor.listDirectory('/');
    expect(root.map((e) => e.entry.path)).toEqual(
      tree.entries.filter((e) => !e.path.includes('/')).map((e) => `/${e.path}`),
    );
    expect((await accessor.listDirectory('sub')).map((e) => e.entry.fileName.toString())).toEqual([
      'deeper',
      'x.txt',
    ]);
    expect(await accessor.listDirectory('/empty-dir')).toEqual([]);
    expect(await accessor.lookup('/nope')).toBeNull();
    expect(await accessor.lookup('/sub/nope/deeper')).toBeNull();
    expect(await accessor.lookup('/README.txt/x')).toBeNull();
    expect((await accessor.lookup('./sub//deeper/'))?.entry.path).toBe('/sub/deeper');
    await expect(accessor.lookup('/sub/../README.txt')).rejects.toThrow(/parent directory/);
  });

  it('follows the hardlink and reads ranges of a file', async () => {
    const accessor = await openVector(split);
    const link = (await accessor.lookup('/z-hardlink.txt')) as PxarFileEntry;
    expect(link.entry.kind.type).toBe('hardlink');
    const target = await link.followHardlink();
    expect(target.entry.path).toBe('/sub/x.txt');
    expect((await target.read(0, 100)).toString()).toBe('hardlinked file (second name: z-hardlink.txt)\n');
    const bin = (await accessor.lookup('/bin.dat')) as PxarFileEntry;
    expect((await bin.read(69_990, 100)).length).toBe(10);
    expect(await sha256Of(bin)).toBe(tree.entries.find((e) => e.path === 'bin.dat')?.sha256);
  });
});

describe('random access costs', () => {
  it('needs only a handful of reads for a lookup', async () => {
    const a = read('tree.pxar');
    const calls = { n: 0 };
    const accessor = await PxarAccessor.open(readerOf(a, calls), a.length);
    calls.n = 0;
    await accessor.lookup('/sub/deeper/z.bin');
    expect(calls.n).toBeLessThanOrEqual(6);
  });

  it('browses a split archive without its payload stream but refuses contents', async () => {
    const m = read('tree.mpxar');
    const accessor = await PxarAccessor.open(readerOf(m), m.length);
    expect(accessor.formatVersion).toBe(2);
    const file = (await accessor.lookup('/README.txt')) as PxarFileEntry;
    expect(file.entry.kind).toMatchObject({ type: 'file', size: 37 });
    await expect(file.read(0, 10)).rejects.toThrow(/payload stream/);
  });
});
