import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalFsBackend } from '@pbs/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Digest, type Digest } from './digest.js';
import { DynamicIndexReader } from './dynamic-index.js';
import { DynamicIndexWriter } from './dynamic-index-writer.js';
import { FixedIndexReader } from './fixed-index.js';
import { FixedIndexWriter } from './fixed-index-writer.js';

const CS = 4096;
const d = (i: number): Digest => sha256Digest(Buffer.from(`chunk-${i}`));

let dir: string;
let backend: LocalFsBackend;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbs-idxw-'));
  fs.mkdirSync(path.join(dir, 'snap'));
  backend = new LocalFsBackend({ name: 'w', base: dir, syncLevel: 'none' });
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const files = () => fs.readdirSync(path.join(dir, 'snap')).sort();

describe('FixedIndexWriter', () => {
  it('writes through <stem>.tmp_fidx and renames it into place on close', async () => {
    const w = await FixedIndexWriter.create(backend, 'snap/disk.img.fidx', {
      ctime: 5,
      size: CS + 1,
      chunkSize: CS,
    });
    expect(files()).toEqual(['disk.img.tmp_fidx']);
    w.addChunk(CS, 1, d(1));
    w.addChunk(0, CS, d(0));
    await w.close();
    expect(files()).toEqual(['disk.img.fidx']);
    const r = FixedIndexReader.decode(await backend.readFile('snap/disk.img.fidx'), 'f');
    expect([r.size, r.chunkSize, r.ctime, [...r.digests()]]).toEqual([CS + 1, CS, 5, [d(0), d(1)]]);
    r.verifyCsum();
  });

  it('grows a writer of unknown size by powers of two until a short chunk fixes the size', async () => {
    const w = await FixedIndexWriter.create(backend, 'snap/a.fidx', { ctime: 0, chunkSize: CS });
    const count = 300;
    for (let i = count - 1; i >= 1; i--) w.addChunk(i * CS, CS, d(i));
    w.addChunk(0, CS, d(0));
    expect([w.indexLength, w.size]).toEqual([count, count * CS]);
    w.addChunk(count * CS, 10, d(count));
    expect(() => w.growToSize(count * CS + 11)).toThrow('refusing to resize');
    const csum = await w.close();
    const r = FixedIndexReader.decode(await backend.readFile('snap/a.fidx'), 'f');
    expect(r.count).toBe(count + 1);
    expect(r.digestAt(count)).toBe(d(count));
    expect(r.computeCsum().csum).toEqual(csum);
  });

  it('rejects unaligned, oversized and short non-final chunks', async () => {
    const w = await FixedIndexWriter.create(backend, 'snap/b.fidx', {
      ctime: 0,
      size: 3 * CS,
      chunkSize: CS,
    });
    expect(() => w.addChunk(1, CS, d(0))).toThrow('got unaligned chunk (pos = 1)');
    expect(() => w.addChunk(0, CS + 1, d(0))).toThrow('chunk with unexpected length');
    expect(() => w.addChunk(0, 100, d(0))).toThrow('chunk with unexpected length (100 != 4096)');
    expect(() => w.addChunk(3 * CS, CS, d(0))).toThrow('refusing to resize');
    expect(() => w.addDigest(3, d(0))).toThrow('index out of range (3 >= 3)');
    await w.abort();
    expect(files()).toEqual([]);
  });

  it('refuses an empty index and cleans up after itself', async () => {
    const w = await FixedIndexWriter.create(backend, 'snap/c.fidx', { ctime: 0, chunkSize: CS });
    await expect(w.close()).rejects.toThrow('fidx file must have at least one chunk');
    expect(files()).toEqual([]);
    await expect(FixedIndexWriter.create(backend, 'snap/c.fidx', { ctime: 0, size: 0 })).rejects.toThrow(
      'at least one chunk',
    );
    await expect(
      FixedIndexWriter.create(backend, 'snap/c.fidx', { ctime: 0, chunkSize: 3000 }),
    ).rejects.toThrow('non-power-of-two');
  });

  it('clones the digests of a previous index for incremental backups', async () => {
    const prev = await FixedIndexWriter.create(backend, 'snap/prev.fidx', {
      ctime: 0,
      size: 2 * CS,
      chunkSize: CS,
    });
    prev.addChunk(0, CS, d(0));
    prev.addChunk(CS, CS, d(1));
    await prev.close();
    const reader = FixedIndexReader.decode(await backend.readFile('snap/prev.fidx'), 'p');
    const w = await FixedIndexWriter.create(backend, 'snap/next.fidx', {
      ctime: 0,
      size: 2 * CS,
      chunkSize: CS,
    });
    w.cloneDataFrom(reader);
    w.addChunk(CS, CS, d(9));
    await w.close();
    const next = FixedIndexReader.decode(await backend.readFile('snap/next.fidx'), 'n');
    expect([...next.digests()]).toEqual([d(0), d(9)]);
  });
});

describe('DynamicIndexWriter', () => {
  it('streams more entries than its buffer holds and records their csum', async () => {
    const w = await DynamicIndexWriter.create(backend, 'snap/root.pxar.didx', { ctime: 7 });
    expect(files()).toEqual(['root.pxar.tmp_didx']);
    const count = 30_000;
    for (let i = 0; i < count; i++) await w.addChunk((i + 1) * 100, d(i));
    expect([w.count, w.size]).toEqual([count, count * 100]);
    const csum = await w.close();
    expect(files()).toEqual(['root.pxar.didx']);
    const r = DynamicIndexReader.decode(await backend.readFile('snap/root.pxar.didx'), 'd');
    expect([r.count, r.indexBytes, r.ctime]).toEqual([count, count * 100, 7]);
    expect(r.headerCsum).toEqual(csum);
    r.verifyCsum();
    expect(r.chunkInfo(count - 1)).toEqual({
      start: (count - 1) * 100,
      end: count * 100,
      digest: d(count - 1),
    });
    expect(r.chunkFromOffset(12_345)).toEqual({ pos: 123, offsetInChunk: 45 });
  });

  it('rejects end offsets that go backwards and writes after close', async () => {
    const w = await DynamicIndexWriter.create(backend, 'snap/x.didx', { ctime: 0 });
    await w.addChunk(10, d(0));
    await expect(w.addChunk(9, d(1))).rejects.toThrow('chunk end offset 9 lies before the previous end 10');
    await w.close();
    await expect(w.addChunk(20, d(2))).rejects.toThrow('closed');
  });

  it('leaves nothing behind when aborted', async () => {
    const w = await DynamicIndexWriter.create(backend, 'snap/y.didx', { ctime: 0 });
    await w.addChunk(10, d(0));
    await w.abort();
    expect(files()).toEqual([]);
  });
});
