import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalFsBackend } from '@pbs/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDigest } from './digest.js';
import { DynamicIndexReader } from './dynamic-index.js';
import { DynamicIndexWriter } from './dynamic-index-writer.js';
import { FixedIndexReader } from './fixed-index.js';
import { FixedIndexWriter } from './fixed-index-writer.js';
import type { IndexFile } from './index-file.js';
import { readVector, readVectorJson } from './testing/vectors.js';

interface IndexDump {
  kind: 'fixed' | 'dynamic';
  uuid: string;
  ctime: number;
  header_csum: string;
  computed_csum: string;
  size: number;
  chunk_size?: number;
  chunks: { start: number; end: number; size: number; digest: string }[];
}

const SNAPSHOTS = { 'vec-plain': '2023-11-14T22:13:20Z', 'vec-enc': '2023-11-14T23:13:20Z' } as const;
const ARCHIVES = ['root.pxar.didx', 'catalog.pcat1.didx', 'disk.img.fidx'] as const;
const CASES = Object.entries(SNAPSHOTS).flatMap(([group, time]) =>
  ARCHIVES.map((archive) => ({ group, archive, file: `datastore/host/${group}/${time}/${archive}` })),
);

function dumpOf(group: string, archive: string): IndexDump {
  return readVectorJson<IndexDump>(`datastore-dumps/${group}.${archive}.json`);
}

function decode(file: string): IndexFile {
  const buf = readVector(file);
  return file.endsWith('.fidx') ? FixedIndexReader.decode(buf, file) : DynamicIndexReader.decode(buf, file);
}

describe('index readers (golden vectors)', () => {
  it.each(CASES)('$group/$archive matches the reference dump', ({ group, archive, file }) => {
    const dump = dumpOf(group, archive);
    const index = decode(file);
    expect(index.kind).toBe(dump.kind);
    expect(index.uuid.toString('hex')).toBe(dump.uuid);
    expect(index.ctime).toBe(dump.ctime);
    expect(index.headerCsum.toString('hex')).toBe(dump.header_csum);
    expect(index.computeCsum()).toEqual({ csum: Buffer.from(dump.computed_csum, 'hex'), size: dump.size });
    index.verifyCsum();
    expect(index.indexBytes).toBe(dump.size);
    const chunks = Array.from({ length: index.count }, (_, i) => index.chunkInfo(i));
    expect(chunks).toEqual(dump.chunks.map(({ start, end, digest }) => ({ start, end, digest })));
    expect([...index.digests()]).toEqual(dump.chunks.map((c) => c.digest));
    if (index instanceof FixedIndexReader) expect(index.chunkSize).toBe(dump.chunk_size);
  });

  it('finds the chunk holding an offset in fixed and dynamic indexes', () => {
    const fixed = decode(CASES[2]?.file ?? '');
    expect(fixed.chunkFromOffset(0)).toEqual({ pos: 0, offsetInChunk: 0 });
    expect(fixed.chunkFromOffset(4194304 + 5)).toEqual({ pos: 1, offsetInChunk: 5 });
    expect(fixed.chunkFromOffset(9437183)).toEqual({ pos: 2, offsetInChunk: 1048575 });
    expect(fixed.chunkFromOffset(9437184)).toBeUndefined();
    const dynamic = decode(CASES[0]?.file ?? '');
    expect(dynamic.chunkFromOffset(75639)).toEqual({ pos: 0, offsetInChunk: 75639 });
    expect(dynamic.chunkFromOffset(75640)).toBeUndefined();
    expect(dynamic.chunkInfo(1)).toBeUndefined();
  });
});

describe('index writers reproduce the vector files byte for byte', () => {
  let dir: string;
  let backend: LocalFsBackend;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbs-index-'));
    backend = new LocalFsBackend({ name: 'idx', base: dir, syncLevel: 'none' });
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(CASES)('$group/$archive', async ({ group, archive, file }) => {
    const dump = dumpOf(group, archive);
    const target = `${group}.${archive}`;
    const opts = { ctime: dump.ctime, uuid: Buffer.from(dump.uuid, 'hex') };
    let csum: Buffer;
    if (dump.kind === 'fixed') {
      const w = await FixedIndexWriter.create(backend, target, {
        ...opts,
        size: dump.size,
        chunkSize: dump.chunk_size,
      });
      for (const c of dump.chunks) w.addChunk(c.start, c.size, parseDigest(c.digest));
      csum = await w.close();
    } else {
      const w = await DynamicIndexWriter.create(backend, target, opts);
      for (const c of dump.chunks) await w.addChunk(c.end, parseDigest(c.digest));
      csum = await w.close();
    }
    expect(csum.toString('hex')).toBe(dump.header_csum);
    expect((await backend.readFile(target)).equals(readVector(file))).toBe(true);
  });
});
