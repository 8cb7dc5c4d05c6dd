import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex, streamA, streamB, TESTDATA_DIR } from '../testing/vectors.js';
import { BuzhashChunker, useWasmRoll } from './buzhash-chunker.js';
import { WASM_ROLL } from './buzhash-wasm.js';
import { DynamicChunker, dynamicChunks } from './chunk-stream.js';
import { FIXED_CHUNK_SIZE, isAllZero, streamFixedChunks } from './fixed-chunks.js';
import { PayloadChunker } from './payload-chunker.js';

interface VectorChunk {
  start: number;
  end: number;
  size: number;
  sha256: string;
}
interface StreamVector {
  input_sha256: string;
  chunker: { avg: number; min: number; max: number };
  chunk_count: number;
  chunks: VectorChunk[];
}
interface TinyRun {
  avg: number;
  min: number;
  max: number;
  chunk_count: number;
  all_ends: number[];
  first_3: VectorChunk[];
}

const MiB = 1024 * 1024;
const vector = <T>(name: string): T =>
  JSON.parse(fs.readFileSync(path.join(TESTDATA_DIR, 'chunker', name), 'utf8')) as T;

/** Chunk the data fed in pieces of the given sizes (cycled). */
function chunkAll(data: Buffer, avg: number, pieces: number[]): Buffer[] {
  const chunker = new DynamicChunker(avg);
  const out: Buffer[] = [];
  let pos = 0;
  let i = 0;
  while (pos < data.length) {
    const n = Math.min(pieces[i++ % pieces.length] as number, data.length - pos);
    out.push(...chunker.push(data.subarray(pos, pos + n)));
    pos += n;
  }
  const last = chunker.finish();
  if (last) out.push(last);
  return out;
}

function ends(chunks: Buffer[]): number[] {
  let end = 0;
  return chunks.map((c) => (end += c.length));
}

describe('buzhash chunker', () => {
  it('has the WebAssembly loop', () => {
    expect(WASM_ROLL).toBe(true);
  });

  it('rejects averages that are not powers of two', () => {
    expect(() => new BuzhashChunker(3000)).toThrow(/not a power of two/);
    expect(() => new BuzhashChunker(0)).toThrow(/not a power of two/);
  });

  describe('tiny.bin: every run exactly', () => {
    const tiny = fs.readFileSync(path.join(TESTDATA_DIR, 'chunker', 'tiny.bin'));
    const runs = vector<{ runs: TinyRun[] }>('tiny.chunks.json').runs;
    for (const run of runs) {
      for (const pieces of [[tiny.length], [1], [7, 63, 64, 65, 1000], [4096, 17]]) {
        it(`avg ${run.avg}, fed in pieces of ${pieces.join('/')}`, () => {
          const chunks = chunkAll(tiny, run.avg, pieces);
          expect(chunks.length).toBe(run.chunk_count);
          expect(ends(chunks)).toEqual(run.all_ends);
          run.first_3.forEach((c, i) => expect(sha256Hex(chunks[i] as Buffer)).toBe(c.sha256));
        });
      }
    }
  });

  describe('stream-A and stream-B', () => {
    let a: Buffer;
    let b: Buffer;
    beforeAll(() => {
      a = streamA(0, 36 * MiB);
      b = streamB(a);
    });

    const cases: [string, () => Buffer, number, boolean][] = [
      ['A.avg64k.json', () => a, 36 * MiB, false],
      ['A.avg4m.json', () => a, 36 * MiB, false],
      ['B.avg64k.json', () => b, 48 * MiB, true],
      ['B.avg4m.json', () => b, 48 * MiB, true],
    ];
    for (const [file, input, size, complete] of cases) {
      it(`${file}: ${complete ? 'all chunks' : `every chunk of a ${size / MiB} MiB prefix`}`, () => {
        const v = vector<StreamVector>(file);
        const data = input().subarray(0, size);
        if (complete) expect(sha256Hex(data)).toBe(v.input_sha256);
        const chunks = chunkAll(data, v.chunker.avg, [65536 + 3, 1 << 20, 12345]);
        // the last chunk of a prefix is only the remainder
        const expected = complete ? v.chunks : v.chunks.filter((c) => c.end < size);
        const got = complete ? chunks : chunks.slice(0, -1);
        expect(got.length).toBe(expected.length);
        expect(got.length).toBeGreaterThan(4);
        let start = 0;
        got.forEach((chunk, i) => {
          const want = expected[i] as VectorChunk;
          expect({ start, size: chunk.length, sha256: sha256Hex(chunk) }).toEqual({
            start: want.start,
            size: want.size,
            sha256: want.sha256,
          });
          start += chunk.length;
        });
      });
    }

    it('same boundaries when fed in pieces around the window size', () => {
      const data = a.subarray(0, 2 * MiB);
      const whole = ends(chunkAll(data, 65536, [data.length]));
      expect(whole.length).toBeGreaterThan(10);
      for (const pieces of [[1, 63, 64, 65, 127], [64], [16383, 16385, 3]]) {
        expect(ends(chunkAll(data, 65536, pieces))).toEqual(whole);
      }
    });

    it('the JavaScript fallback loop cuts the same chunks', () => {
      const v = vector<StreamVector>('A.avg64k.json');
      const before = useWasmRoll(false);
      try {
        const chunks = chunkAll(a.subarray(0, 8 * MiB), 65536, [65536 + 3, 1 << 20]).slice(0, -1);
        const want = v.chunks.filter((c) => c.end < 8 * MiB);
        expect(chunks.map((c) => c.length)).toEqual(want.map((c) => c.size));
      } finally {
        useWasmRoll(before);
      }
    });

    it('hands out views for chunks inside one input buffer', () => {
      const chunker = new DynamicChunker(65536);
      const input = a.subarray(0, 4 * MiB);
      const chunks = chunker.push(input);
      expect(chunks.length).toBeGreaterThan(10);
      expect(chunks.every((c) => c.buffer === input.buffer)).toBe(true);
    });

    it('async generator form gives the same chunks', async () => {
      async function* source() {
        await Promise.resolve();
        for (let off = 0; off < 8 * MiB; off += 100_000)
          yield a.subarray(off, Math.min(8 * MiB, off + 100_000));
      }
      const got: number[] = [];
      for await (const c of dynamicChunks(source(), 65536)) got.push(c.length);
      expect(got).toEqual(chunkAll(a.subarray(0, 8 * MiB), 65536, [8 * MiB]).map((c) => c.length));
    });
  });
});

describe('fixed chunks', () => {
  it('cuts 4 MiB blocks with a short last block from any input pieces', async () => {
    const data = streamA(0, 9 * MiB + 5);
    async function* source() {
      await Promise.resolve();
      for (let off = 0; off < data.length; off += 777_777) yield data.subarray(off, off + 777_777);
    }
    const sizes: number[] = [];
    const parts: Buffer[] = [];
    for await (const c of streamFixedChunks(source())) {
      sizes.push(c.length);
      parts.push(Buffer.from(c));
    }
    expect(sizes).toEqual([FIXED_CHUNK_SIZE, FIXED_CHUNK_SIZE, MiB + 5]);
    expect(Buffer.concat(parts).equals(data)).toBe(true);
  });

  it('recognises all-zero data', () => {
    expect(isAllZero(Buffer.alloc(FIXED_CHUNK_SIZE))).toBe(true);
    expect(isAllZero(Buffer.alloc(9 * MiB))).toBe(true);
    const data = Buffer.alloc(FIXED_CHUNK_SIZE);
    data[FIXED_CHUNK_SIZE - 1] = 1;
    expect(isAllZero(data)).toBe(false);
    expect(isAllZero(Buffer.alloc(0))).toBe(true);
  });
});

describe('payload chunker', () => {
  const data = streamA(0, 2 * MiB);
  const cut = (suggested: number[], pieces: number[]) => {
    const chunker = new PayloadChunker(65536);
    suggested.forEach((s) => chunker.suggest(s));
    const out: Buffer[] = [];
    let pos = 0;
    let i = 0;
    while (pos < data.length) {
      const n = Math.min(pieces[i++ % pieces.length] as number, data.length - pos);
      out.push(...chunker.push(data.subarray(pos, pos + n)));
      pos += n;
    }
    const last = chunker.finish();
    if (last) out.push(last);
    expect(Buffer.concat(out).equals(data)).toBe(true);
    return ends(out);
  };

  it('is the dynamic chunker without suggestions', () => {
    expect(cut([], [100_000])).toEqual(ends(chunkAll(data, 65536, [data.length])));
  });

  it('cuts at suggestions unless a hash cut comes first, ignores too small ones', () => {
    const plain = ends(chunkAll(data, 65536, [data.length]));
    expect(plain[0]).toBe(18731);
    const first = 17_000; // ≥ min 16384, before the first hash cut
    const tooSmall = first + 1000;
    const got = cut([first, tooSmall, first + 50_000], [7777, 65536]);
    expect(got.slice(0, 2)).toEqual([first, first + 50_000]);
    expect(got).not.toContain(tooSmall);
    // a suggestion after a hash boundary: the hash cut stays, the suggestion cuts next
    const i = plain.findIndex((e, k) => k > 0 && e - (plain[k - 1] as number) > 40_000);
    const b = (plain[i - 1] as number) + 20_000;
    const late = cut([b], [data.length]);
    expect(late).toContain(b);
    expect(late.filter((e) => e < b)).toEqual(plain.filter((e) => e < b));
  });

  it('gives the same cuts for any input piece sizes', () => {
    const suggestions = [20_000, 70_000, 75_000, 400_000, 1_500_000];
    const whole = cut(suggestions, [data.length]);
    expect(cut(suggestions, [1, 63, 64, 65, 4097])).toEqual(whole);
    expect(cut(suggestions, [16384, 3])).toEqual(whole);
  });

  it('cuts at an injection and counts the injected bytes in later suggestions', () => {
    const chunker = new PayloadChunker(65536);
    const before = chunker.push(data.subarray(0, 10_000));
    expect(before).toEqual([]);
    // the buffered bytes become one chunk, then 300,000 reused bytes pass the chunker unseen
    const flushed = chunker.inject(300_000);
    expect(flushed?.equals(data.subarray(0, 10_000))).toBe(true);
    expect(chunker.inject(1000)).toBeUndefined(); // nothing buffered: no empty chunk
    // a file starting 20,000 bytes after the injected ones ends the next chunk exactly there
    const base = 10_000 + 300_000 + 1000;
    chunker.suggest(base + 20_000);
    const out = chunker.push(data.subarray(10_000, 10_000 + 30_000));
    expect(out[0]?.length).toBe(20_000);
  });
});
