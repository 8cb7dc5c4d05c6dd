import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PxarDecoder } from '../decoder/decoder.js';
import { encodeDirectory } from './encode-directory.js';
import {
  PayloadReuser,
  PreviousMetadataArchive,
  chunksCovering,
  type PreviousPayloadIndex,
  type ReusableChunk,
} from './payload-reuse.js';

/*
 * Metadata change detection without a server: the previous payload stream is cut into fixed
 * chunks (its "index"); injecting a chunk copies its bytes into the new payload stream, which is
 * what the server-side index amounts to. The new split archive must decode to the current tree,
 * and unchanged files must not be read (they are counted as reused, not re-encoded).
 */

let tmp: string;
let tree: string;

function writeTree(): void {
  fs.mkdirSync(path.join(tree, 'd1/d2'), { recursive: true });
  const rnd = (n: number, seed: string) =>
    crypto
      .createHash('sha256')
      .update(seed)
      .digest()
      .toString('hex')
      .repeat(Math.ceil(n / 64))
      .slice(0, n);
  for (let i = 0; i < 40; i++) {
    const dir = i % 3 === 0 ? tree : i % 3 === 1 ? path.join(tree, 'd1') : path.join(tree, 'd1/d2');
    fs.writeFileSync(path.join(dir, `f${String(i).padStart(2, '0')}`), rnd(200 + i * 97, `f${i}`));
  }
  fs.symlinkSync('f00', path.join(tree, 'link'));
  const t = new Date('2026-01-01T00:00:00Z');
  for (const f of fs.readdirSync(tree, { recursive: true }) as string[]) {
    const p = path.join(tree, f);
    if (!fs.lstatSync(p).isSymbolicLink()) fs.utimesSync(p, t, t);
  }
}

interface Encoded {
  meta: Buffer;
  payload: Buffer;
  stats: PayloadReuser['stats'] | null;
}

function fixedIndex(payload: Buffer, size: number): PreviousPayloadIndex & { slice(i: number): Buffer } {
  const count = Math.ceil(payload.length / size);
  const end = (i: number) => Math.min(payload.length, (i + 1) * size);
  return {
    count,
    chunkEnd: end,
    digest: (i) =>
      crypto
        .createHash('sha256')
        .update(payload.subarray(i * size, end(i)))
        .digest('hex'),
    slice: (i) => payload.subarray(i * size, end(i)),
  };
}

async function encode(previous?: Encoded): Promise<Encoded> {
  const meta: Buffer[] = [];
  const payload: Buffer[] = [];
  let reuse: PayloadReuser | undefined;
  if (previous) {
    const prevArchive = await PreviousMetadataArchive.load(new PxarDecoder([previous.meta]));
    const index = fixedIndex(previous.payload, 1024);
    const byEnd = new Map<number, Buffer>();
    for (let i = 0; i < index.count; i++) byEnd.set(index.chunkEnd(i), index.slice(i));
    reuse = new PayloadReuser(prevArchive, index, (chunks: readonly ReusableChunk[]) => {
      for (const c of chunks) payload.push(byEnd.get(c.end) as Buffer);
      return Promise.resolve();
    });
  }
  await encodeDirectory(tree, (b) => void meta.push(b), {
    payloadSink: (b) => void payload.push(b),
    ...(reuse && { reuse }),
  });
  return { meta: Buffer.concat(meta), payload: Buffer.concat(payload), stats: reuse?.stats ?? null };
}

async function decodeTree(a: Encoded): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const dec = new PxarDecoder([a.meta], { payload: [a.payload] });
  for (let e = await dec.next(); e !== null; e = await dec.next()) {
    if (e.kind.type === 'file') out.set(e.path, (await dec.readContents()).toString());
    else if (e.kind.type === 'symlink') out.set(e.path, `-> ${e.kind.target.toString()}`);
  }
  return out;
}

function readTree(): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of (fs.readdirSync(tree, { recursive: true }) as string[]).sort()) {
    const p = path.join(tree, f);
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) out.set(`/${f}`, `-> ${fs.readlinkSync(p)}`);
    else if (st.isFile()) out.set(`/${f}`, fs.readFileSync(p, 'utf8'));
  }
  return out;
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pxar-reuse-'));
  tree = path.join(tmp, 'tree');
  writeTree();
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('payload reuse (metadata change detection)', () => {
  it('references every unchanged file and decodes to the same tree', async () => {
    const first = await encode();
    const second = await encode(first);
    expect(second.stats?.filesReencoded).toBe(0);
    expect(second.stats?.filesReused).toBe(40);
    // every chunk of the previous stream, once (the markers at both ends are their padding)
    expect(second.stats?.bytesInjected).toBe(first.payload.length);
    expect(await decodeTree(second)).toEqual(readTree());
  });

  it('re-reads only changed files, keeps the rest referenced, across generations', async () => {
    const first = await encode();
    const changed = path.join(tree, 'd1/f13');
    fs.appendFileSync(changed, 'appended');
    fs.rmSync(path.join(tree, 'd1/d2/f20'));
    fs.writeFileSync(path.join(tree, 'd1/new-file'), 'brand new');
    const second = await encode(first);
    expect(second.stats?.filesReencoded).toBeGreaterThanOrEqual(2);
    expect(second.stats?.filesReused).toBeGreaterThan(30);
    expect(await decodeTree(second)).toEqual(readTree());
    // a third run on top of the second (whose payload holds injected chunks and padding)
    fs.writeFileSync(path.join(tree, 'f03'), 'rewritten');
    const third = await encode(second);
    expect(third.stats?.filesReused).toBeGreaterThan(30);
    expect(await decodeTree(third)).toEqual(readTree());
  });

  it('finds the chunks covering a range with the padding on both sides', () => {
    const index: PreviousPayloadIndex = {
      count: 3,
      chunkEnd: (i) => [100, 250, 400][i] as number,
      digest: (i) => `d${i}`,
    };
    const r = chunksCovering(index, { start: 120, end: 300 });
    expect(r.chunks.map((c) => c.digest)).toEqual(['d1', 'd2']);
    expect(r.startPadding).toBe(20);
    expect(r.endPadding).toBe(100);
    expect(() => chunksCovering(index, { start: 390, end: 420 })).toThrow(RangeError);
  });
});
