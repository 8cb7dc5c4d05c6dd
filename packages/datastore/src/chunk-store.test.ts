import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalFsBackend, type ChunkFileEntry } from '@pbs/storage';
import { makeScratchDir, ManualClock } from '@pbs/storage/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChunkStore, encodeZeroChunk, ZERO_CHUNK_DIGEST } from './chunk-store.js';
import { CryptConfig } from './crypt-config.js';
import { DataBlob } from './data-blob.js';
import { sha256Digest, type Digest } from './digest.js';

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;
const crypt = CryptConfig.fromKey(Buffer.alloc(32, 3));

let dir: string;
let clock: ManualClock;
let backend: LocalFsBackend;
let store: ChunkStore;

function plainChunk(text: string, compress = false): { digest: Digest; blob: DataBlob } {
  const data = Buffer.from(text.repeat(50));
  return { digest: sha256Digest(data), blob: DataBlob.encode(data, { compress }) };
}

function encryptedChunk(text: string, compress: boolean): { digest: Digest; blob: DataBlob } {
  const data = Buffer.from(text.repeat(50));
  return { digest: crypt.computeDigest(data), blob: DataBlob.encode(data, { crypt, compress }) };
}

const chunkFile = (name: string) => path.join(dir, '.chunks', name.slice(0, 4), name);

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbs-chunkstore-'));
  fs.mkdirSync(path.join(dir, '.chunks'));
  fs.writeFileSync(path.join(dir, '.lock'), '');
  clock = new ManualClock(T0);
  backend = new LocalFsBackend({ name: 'store1', base: dir, syncLevel: 'none', clock });
  store = await ChunkStore.open(backend, { name: 'store1' });
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ChunkStore layout', () => {
  it('creates the PBS layout with the zero chunk, which then opens', async () => {
    const scratch = await makeScratchDir('pbs-create-');
    try {
      const b = new LocalFsBackend({ name: 'new', base: scratch, syncLevel: 'none' });
      const created = await ChunkStore.create(b, { name: 'new' });
      expect(fs.readdirSync(path.join(scratch, '.chunks'))).toHaveLength(65536);
      const zero = await created.loadChunk(ZERO_CHUNK_DIGEST);
      expect(zero.kind).toBe('compressed');
      expect(zero.decode({ digest: ZERO_CHUNK_DIGEST }).length).toBe(4 * 1024 * 1024);
      await ChunkStore.open(b, { name: 'new' });
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses to open a directory without a chunk store', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'pbs-empty-'));
    const b = new LocalFsBackend({ name: 'x', base: empty });
    await expect(ChunkStore.open(b, { name: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    fs.rmSync(empty, { recursive: true });
  });

  it('names chunk paths by the first two digest bytes', () => {
    expect(ChunkStore.chunkPath(ZERO_CHUNK_DIGEST)).toBe(`.chunks/bb9f/${ZERO_CHUNK_DIGEST}`);
    expect(sha256Digest(Buffer.alloc(4 * 1024 * 1024))).toBe(ZERO_CHUNK_DIGEST);
    expect(encodeZeroChunk().decode({ digest: ZERO_CHUNK_DIGEST }).length).toBe(4 * 1024 * 1024);
  });
});

describe('ChunkStore.insertChunk', () => {
  it('stores a new chunk and reports a second insert as a duplicate that touches it', async () => {
    const { digest, blob } = plainChunk('a');
    expect(await store.insertChunk(digest, blob)).toEqual({ duplicate: false, size: blob.raw.length });
    clock.set(T0 + HOUR);
    expect(await store.insertChunk(digest, blob)).toEqual({ duplicate: true, size: blob.raw.length });
    expect((await store.statChunk(digest))?.atimeMs).toBeCloseTo(T0 + HOUR, 0);
    expect(fs.readFileSync(chunkFile(digest)).equals(blob.raw)).toBe(true);
  });

  it('overwrites an empty chunk file', async () => {
    const { digest, blob } = plainChunk('b');
    await backend.writeChunk(digest, Buffer.alloc(0));
    expect(await store.insertChunk(digest, blob)).toEqual({ duplicate: false, size: blob.raw.length });
    expect(fs.statSync(chunkFile(digest)).size).toBe(blob.raw.length);
  });

  it('keeps the smaller of two plain copies', async () => {
    const { digest, blob: small } = plainChunk('c', true);
    const { blob: big } = plainChunk('c', false);
    expect(small.raw.length).toBeLessThan(big.raw.length);
    await store.insertChunk(digest, big);
    expect(await store.insertChunk(digest, small)).toEqual({ duplicate: false, size: small.raw.length });
    expect(await store.insertChunk(digest, big)).toEqual({ duplicate: true, size: small.raw.length });
    expect(fs.statSync(chunkFile(digest)).size).toBe(small.raw.length);
  });

  it('never lets an encrypted upload replace a plain chunk or a different encrypted one', async () => {
    const plain = plainChunk('d');
    await store.insertChunk(plain.digest, plain.blob);
    const enc = encryptedChunk('d', false);
    await expect(store.insertChunk(plain.digest, enc.blob)).rejects.toThrow(
      `datastore 'store1': chunk ${plain.digest}: overwriting an unencrypted chunk`,
    );
    await store.insertChunk(enc.digest, enc.blob);
    const other = DataBlob.encode(Buffer.from('e'.repeat(60)), { crypt, compress: false });
    await expect(store.insertChunk(enc.digest, other)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(fs.readFileSync(chunkFile(enc.digest)).equals(enc.blob.raw)).toBe(true);
  });

  it('keeps the first of two compressed encrypted copies', async () => {
    const first = encryptedChunk('f', true);
    const second = DataBlob.encode(Buffer.from('f'.repeat(50)), { crypt, compress: false });
    await store.insertChunk(first.digest, first.blob);
    expect(await store.insertChunk(first.digest, second)).toEqual({
      duplicate: true,
      size: first.blob.raw.length,
    });
  });

  it('writes a chunk once when the same digest is inserted concurrently', async () => {
    const { digest, blob } = plainChunk('g');
    const results = await Promise.all(Array.from({ length: 8 }, () => store.insertChunk(digest, blob)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
  });
});

describe('ChunkStore reads, marks and renames', () => {
  it('loads a chunk with its CRC checked and names store and digest when it is corrupt', async () => {
    const { digest, blob } = plainChunk('h');
    await store.insertChunk(digest, blob);
    expect((await store.loadChunk(digest)).decode({ digest }).toString()).toBe('h'.repeat(50));
    const raw = fs.readFileSync(chunkFile(digest));
    raw[20] = (raw[20] ?? 0) ^ 0xff;
    fs.writeFileSync(chunkFile(digest), raw);
    await expect(store.loadChunk(digest)).rejects.toThrow(
      new RegExp(`^datastore 'store1': chunk ${digest}: crc mismatch`),
    );
    await expect(store.loadChunk(sha256Digest(Buffer.from('none')))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('marks a chunk, keeps bad copies of a missing one alive, or reports it missing', async () => {
    const { digest, blob } = plainChunk('i');
    await store.insertChunk(digest, blob);
    clock.set(T0 + HOUR);
    expect(await store.markChunk(digest)).toBe('chunk');
    expect((await store.statChunk(digest))?.atimeMs).toBeCloseTo(T0 + HOUR, 0);
    await store.renameCorruptChunk(digest);
    clock.set(T0 + 2 * HOUR);
    expect(await store.markChunk(digest)).toBe('bad');
    expect((await backend.statChunk(`${digest}.0.bad`))?.atimeMs).toBeCloseTo(T0 + 2 * HOUR, 0);
    const missing = sha256Digest(Buffer.from('missing'));
    expect(await store.markChunk(missing)).toBe('missing');
    expect(await store.markChunk(missing, { markExpected: true })).toBe('expected');
    expect(fs.statSync(chunkFile(`${missing}.using`)).size).toBe(0);
  });

  it('renames corrupt chunks to the first free .N.bad and reuses .9.bad when all are taken', async () => {
    const { digest, blob } = plainChunk('j');
    const names: (string | undefined)[] = [];
    for (let i = 0; i < 11; i++) {
      await store.insertChunk(digest, blob);
      names.push(await store.renameCorruptChunk(digest));
    }
    expect(names).toEqual([...Array.from({ length: 10 }, (_, n) => `${digest}.${n}.bad`), `${digest}.9.bad`]);
    expect(await store.renameCorruptChunk(digest)).toBeUndefined();
  });
});

describe('ChunkStore.sweepChunkFiles', () => {
  const old = (e: ChunkFileEntry) => e.kind === 'using' || e.atimeMs < T0 + HOUR;

  async function sweepAll(shouldRemove = old) {
    const outcomes = [];
    for await (const o of store.sweepChunkFiles(shouldRemove, { batchSize: 2 })) outcomes.push(o);
    return outcomes;
  }

  it('removes old chunks, bad copies and using markers and keeps fresh ones', async () => {
    const a = plainChunk('k');
    const b = plainChunk('l');
    await store.insertChunk(a.digest, a.blob);
    await store.insertChunk(b.digest, b.blob);
    await store.renameCorruptChunk(b.digest);
    await store.insertChunk(b.digest, b.blob);
    await store.markChunk(sha256Digest(Buffer.from('u')), { markExpected: true });
    clock.set(T0 + 2 * HOUR);
    await store.touchChunk(a.digest);
    const outcomes = await sweepAll();
    const removed = outcomes.filter((o) => o.removed).map((o) => o.entry.name);
    expect(removed.sort()).toEqual(
      [b.digest, `${b.digest}.0.bad`, `${sha256Digest(Buffer.from('u'))}.using`].sort(),
    );
    expect(outcomes.find((o) => o.entry.name === a.digest)?.removed).toBe(false);
    expect(fs.existsSync(chunkFile(a.digest))).toBe(true);
    expect(fs.existsSync(chunkFile(b.digest))).toBe(false);
  });

  it('keeps a chunk that an insert touches between listing and removal', async () => {
    const a = plainChunk('m');
    await store.insertChunk(a.digest, a.blob);
    clock.set(T0 + 2 * HOUR);
    let raced = false;
    const outcomes = await sweepAll((e) => {
      if (!raced && e.digest === a.digest) {
        raced = true;
        void store.insertChunk(a.digest, a.blob); // queued on the digest lock ahead of the sweep
      }
      return old(e);
    });
    expect(outcomes).toEqual([
      { entry: expect.objectContaining({ name: a.digest }) as unknown, removed: false },
    ]);
    expect(fs.existsSync(chunkFile(a.digest))).toBe(true);
  });

  it('stops when aborted', async () => {
    const a = plainChunk('n');
    await store.insertChunk(a.digest, a.blob);
    const controller = new AbortController();
    controller.abort();
    const run = async () => {
      for await (const _ of store.sweepChunkFiles(old, { signal: controller.signal })) void _;
    };
    await expect(run()).rejects.toThrow();
  });
});
