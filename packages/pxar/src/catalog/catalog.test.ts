import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReadAt } from '../accessor/range-source.js';
import { PXAR_TESTDATA_DIR } from '../testing/vector-tree.js';
import { CatalogReader, type CatalogEntry } from './reader.js';
import { decodeI64, decodeU64, encodeI64, encodeU64 } from './varint.js';
import { CatalogWriter } from './writer.js';

const vector = fs.readFileSync(path.join(PXAR_TESTDATA_DIR, 'catalog.pcat1'));
const readerOf =
  (buf: Buffer): ReadAt =>
  (offset, length) =>
    Promise.resolve(buf.subarray(offset, offset + length));

function dumpRecord(e: CatalogEntry & { path: string }): Record<string, unknown> {
  const rec: Record<string, unknown> = { path: e.path, type: e.type };
  if (e.type === 'd') rec.start = e.start;
  if (e.type === 'f') Object.assign(rec, { size: e.size, mtime: e.mtime });
  return rec;
}

describe('catalog varints', () => {
  it('round-trip u64 and i64 values as PBS encodes them', () => {
    for (const v of [0, 1, 126, 127, 128, 4095, 2 ** 31, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER]) {
      const out: number[] = [];
      encodeU64(out, v);
      expect(decodeU64({ buf: Buffer.from(out), pos: 0 })).toBe(v);
    }
    for (const v of [0, 1, -1, 127, -127, -128, 128, 1_700_000_000, -315_619_200, -(2 ** 50)]) {
      const out: number[] = [];
      encodeI64(out, v);
      expect(decodeI64({ buf: Buffer.from(out), pos: 0 })).toBe(v);
    }
    const neg: number[] = [];
    encodeI64(neg, -1);
    expect(neg).toEqual([0x81, 0]);
  });
});

describe('catalog reader on the vector', () => {
  it('dumps catalog.pcat1 like catalog.pcat1.dump.jsonl', async () => {
    const reader = await CatalogReader.open(readerOf(vector), vector.length, { name: 'catalog.pcat1' });
    const dump: Record<string, unknown>[] = [];
    for await (const e of reader.walk()) dump.push(dumpRecord(e));
    const expected = fs
      .readFileSync(path.join(PXAR_TESTDATA_DIR, 'catalog.pcat1.dump.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(dump).toEqual(expected);
  });

  it('lists and looks up by path for a file browser', async () => {
    const reader = await CatalogReader.open(readerOf(vector), vector.length);
    const sub = await reader.lookupPath('/root.pxar.didx/sub');
    expect(sub?.type).toBe('d');
    const children = await reader.readDir(sub as CatalogEntry);
    expect(children.map((c) => [c.name.toString(), c.type, c.size, c.mtime])).toEqual([
      ['deeper', 'd', undefined, undefined],
      ['x.txt', 'f', 46, 1_700_000_013],
    ]);
    expect((await reader.lookupPath('/root.pxar.didx/grüße-日本.txt'))?.size).toBe(31);
    expect(await reader.lookupPath('/root.pxar.didx/nope')).toBeNull();
    expect(await reader.lookupPath('/root.pxar.didx/README.txt/x')).toBeNull();
    expect((await reader.lookupPath('/'))?.start).toBe(241);
  });

  it('reports corruption as CORRUPT_DATA', async () => {
    const badMagic = Buffer.from(vector);
    badMagic[0] = 0;
    await expect(CatalogReader.open(readerOf(badMagic), badMagic.length)).rejects.toMatchObject({
      code: 'CORRUPT_DATA',
    });
    const badRoot = Buffer.from(vector);
    badRoot.writeBigUInt64LE(9999n, badRoot.length - 8);
    await expect(CatalogReader.open(readerOf(badRoot), badRoot.length)).rejects.toThrow(/out of range/);
    const badType = Buffer.from(vector);
    badType[0xf3] = 'z'.charCodeAt(0); // the 'd' of root.pxar.didx in the root table
    const reader = await CatalogReader.open(readerOf(badType), badType.length);
    await expect(reader.readDir(reader.root())).rejects.toThrow(/invalid CatalogEntryType value 'z'/);
  });
});

describe('catalog writer', () => {
  it('round-trips nested directories, every entry type and negative mtimes', async () => {
    const out: Buffer[] = [];
    const w = new CatalogWriter((b) => void out.push(b));
    w.startDirectory(Buffer.from('a.pxar.didx'));
    w.addFile(Buffer.from('old'), 5, -1);
    w.startDirectory(Buffer.from('d'));
    w.addFile(Buffer.from('big'), 2 ** 40, 4_102_444_800);
    await w.endDirectory();
    const adders: [string, (name: Buffer) => void][] = [
      ['l', (n) => w.addSymlink(n)],
      ['h', (n) => w.addHardlink(n)],
      ['b', (n) => w.addBlockDevice(n)],
      ['c', (n) => w.addCharDevice(n)],
      ['p', (n) => w.addFifo(n)],
      ['s', (n) => w.addSocket(n)],
    ];
    for (const [t, add] of adders) add(Buffer.from(`x-${t}`));
    await w.endDirectory();
    await w.finish();
    const buf = Buffer.concat(out);
    const reader = await CatalogReader.open(readerOf(buf), buf.length);
    const all: Record<string, unknown>[] = [];
    for await (const e of reader.walk()) all.push(dumpRecord(e));
    expect(all.map((e) => [e.path, e.type, e.size, e.mtime])).toEqual([
      ['/a.pxar.didx', 'd', undefined, undefined],
      ['/a.pxar.didx/old', 'f', 5, -1],
      ['/a.pxar.didx/d', 'd', undefined, undefined],
      ['/a.pxar.didx/d/big', 'f', 2 ** 40, 4_102_444_800],
      ...['l', 'h', 'b', 'c', 'p', 's'].map((t) => [`/a.pxar.didx/x-${t}`, t, undefined, undefined]),
    ]);
  });

  it('refuses misuse', async () => {
    const w = new CatalogWriter(() => undefined);
    await expect(w.endDirectory()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    w.startDirectory(Buffer.from('x'));
    await expect(w.finish()).rejects.toThrow(/unable to finish/);
  });
});
