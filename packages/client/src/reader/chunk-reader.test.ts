import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CryptConfig,
  DataBlob,
  DYNAMIC_SIZED_CHUNK_INDEX_1_0,
  DynamicIndexReader,
  INDEX_HEADER_SIZE,
  type BackupManifest,
  type Digest,
} from '@pbs/datastore';
import type { BackupReader } from './backup-reader.js';
import { readChunks } from './chunk-reader.js';
import { pxarArchiveNames } from './run-restore.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex') as Digest;

function dynamicIndex(chunks: { digest: Digest; size: number }[]) {
  const buf = Buffer.alloc(INDEX_HEADER_SIZE + 40 * chunks.length);
  DYNAMIC_SIZED_CHUNK_INDEX_1_0.copy(buf, 0);
  let end = 0;
  chunks.forEach((c, i) => {
    end += c.size;
    buf.writeBigUInt64LE(BigInt(end), INDEX_HEADER_SIZE + 40 * i);
    buf.write(c.digest, INDEX_HEADER_SIZE + 40 * i + 8, 'hex');
  });
  return DynamicIndexReader.decode(buf, 'test.didx');
}

function fakeReader(store: Map<string, Buffer>, log: string[], delays: Record<string, number> = {}) {
  return {
    downloadChunk(digest: Digest) {
      log.push(digest);
      const raw = store.get(digest);
      return new Promise<Buffer>((resolve, reject) =>
        setTimeout(() => (raw ? resolve(raw) : reject(new Error('missing'))), delays[digest] ?? 1),
      );
    },
  } as unknown as BackupReader;
}

describe('chunk reader', () => {
  const parts = [Buffer.alloc(100, 1), Buffer.alloc(200, 2), Buffer.alloc(100, 1), Buffer.alloc(50, 3)];

  it('yields chunks in index order with downloads running ahead, decoding and checking each', async () => {
    const store = new Map(parts.map((p) => [sha(p), DataBlob.encode(p).raw]));
    const index = dynamicIndex(parts.map((p) => ({ digest: sha(p), size: p.length })));
    const log: string[] = [];
    // the first chunk is slowest: order must still hold
    const reader = fakeReader(store, log, { [sha(parts[0] as Buffer)]: 30 });
    const got: Buffer[] = [];
    for await (const c of readChunks(reader, index, { cryptMode: 'none', concurrency: 3 })) got.push(c.data);
    expect(Buffer.concat(got).equals(Buffer.concat(parts))).toBe(true);
    // the repeated chunk is downloaded once (most-used cache)
    expect(log.filter((d) => d === sha(parts[0] as Buffer))).toHaveLength(1);
  });

  it('refuses a chunk whose content does not match its digest, or whose crypt state is wrong', async () => {
    const a = Buffer.alloc(10, 1);
    const index = dynamicIndex([{ digest: sha(a), size: 10 }]);
    const wrong = new Map([[sha(a), DataBlob.encode(Buffer.alloc(10, 2)).raw]]);
    await expect(readChunks(fakeReader(wrong, []), index, { cryptMode: 'none' }).next()).rejects.toThrow(
      /wrong digest/,
    );
    const plain = new Map([[sha(a), DataBlob.encode(a).raw]]);
    await expect(readChunks(fakeReader(plain, []), index, { cryptMode: 'encrypt' }).next()).rejects.toThrow(
      /unencrypted chunk in an encrypted index/,
    );
    const crypt = CryptConfig.fromKey(Buffer.alloc(32, 5));
    const keyed = crypt.computeDigest(a);
    const encIndex = dynamicIndex([{ digest: keyed, size: 10 }]);
    const enc = new Map([[keyed, DataBlob.encode(a, { crypt }).raw]]);
    await expect(readChunks(fakeReader(enc, []), encIndex, { cryptMode: 'none' }).next()).rejects.toThrow(
      /encrypted chunk in an unencrypted index/,
    );
    const ok = await readChunks(fakeReader(enc, []), encIndex, { cryptMode: 'encrypt', crypt }).next();
    if (ok.done === true) throw new Error('no chunk');
    expect(ok.value.data.equals(a)).toBe(true);
  });

  it('does not download chunks known to be zero', async () => {
    const zero = Buffer.alloc(64);
    const index = dynamicIndex([{ digest: sha(zero), size: 64 }]);
    const log: string[] = [];
    const first = await readChunks(fakeReader(new Map(), log), index, {
      cryptMode: 'none',
      zeroDigests: new Set([sha(zero)]),
    }).next();
    expect(first.value).toMatchObject({ zero: true, start: 0, end: 64 });
    expect(log).toEqual([]);
  });
});

describe('pxar archive names', () => {
  const manifest = (names: string[]) =>
    ({
      files: names.map((filename) => ({ filename, cryptMode: 'none', size: 1, csum: '0'.repeat(64) })),
    }) as unknown as BackupManifest;
  it('finds unified and split archives', () => {
    expect(pxarArchiveNames(manifest(['root.pxar.didx']), 'root.pxar.didx')).toEqual({
      archive: 'root.pxar.didx',
    });
    expect(pxarArchiveNames(manifest(['root.mpxar.didx', 'root.ppxar.didx']), 'root.pxar.didx')).toEqual({
      archive: 'root.mpxar.didx',
      payload: 'root.ppxar.didx',
    });
    expect(() => pxarArchiveNames(manifest(['a.pxar.didx']), 'root.pxar.didx')).toThrow(/does not contain/);
  });
});
