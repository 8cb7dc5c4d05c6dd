import { AppError } from '@pbs/api-types/errors';
import type { CryptConfig, Digest, IndexFile } from '@pbs/datastore';
import type { CodecPool } from '../codec/codec-pool.js';
import { decodeChunk } from '../codec/decode-chunk.js';
import type { BackupReader } from './backup-reader.js';

/*
 * Chunks of one index in order (pbs-client RemoteChunkReader + the restore loops): each chunk is
 * downloaded, CRC-checked, decrypted when the index is encrypted, decompressed and checked against
 * its digest; up to `concurrency` downloads run ahead of the consumer, so memory stays bounded by
 * concurrency × chunk size. A chunk whose crypt state does not match the index is refused.
 * Optional: digests that are known all-zero (the image zero chunk) are not downloaded at all. The
 * 8 most repeated digests of the index are decoded once and kept (find_most_used_chunks(8)).
 */

export interface ChunkData {
  readonly pos: number;
  readonly start: number;
  readonly end: number;
  readonly digest: Digest;
  /** the plaintext; for `zero` chunks a shared zero buffer of the chunk's length */
  readonly data: Buffer;
  /** known all-zero without download */
  readonly zero: boolean;
}

export interface ChunkReaderOptions {
  readonly crypt?: CryptConfig;
  /** the crypt mode of the index in the manifest */
  readonly cryptMode: 'none' | 'encrypt' | 'sign-only';
  readonly concurrency?: number;
  /** digests whose chunk is all zeros (not downloaded) */
  readonly zeroDigests?: ReadonlySet<string>;
  /** decode on worker threads (they hold the key of encrypted indexes) */
  readonly codec?: CodecPool;
}

export function decodeChunkWith(raw: Buffer, digest: Digest, opts: ChunkReaderOptions): Promise<Buffer> {
  if (opts.codec) return opts.codec.decode(raw, digest, opts.cryptMode, true);
  return Promise.resolve(decodeChunk(raw, digest, opts.cryptMode, opts.crypt));
}

let zeroes = Buffer.alloc(0);
function zeroBuffer(size: number): Buffer {
  if (zeroes.length < size) zeroes = Buffer.alloc(size);
  return zeroes.subarray(0, size);
}

/** The `n` digests that occur most often (at least twice) in the index. */
export function mostUsedDigests(index: IndexFile, n = 8): Set<Digest> {
  const counts = new Map<Digest, number>();
  for (const d of index.digests()) counts.set(d, (counts.get(d) ?? 0) + 1);
  return new Set(
    [...counts.entries()]
      .filter(([, c]) => c > 1)
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([d]) => d),
  );
}

export async function* readChunks(
  reader: BackupReader,
  index: IndexFile,
  opts: ChunkReaderOptions,
): AsyncGenerator<ChunkData> {
  const concurrency = Math.max(1, opts.concurrency ?? 8);
  const pending: Promise<ChunkData>[] = [];
  let next = 0;
  const hot = mostUsedDigests(index);
  const cache = new Map<Digest, Promise<Buffer>>();
  const load = (digest: Digest): Promise<Buffer> => {
    const cached = cache.get(digest);
    if (cached) return cached;
    const p = reader.downloadChunk(digest).then((raw) => decodeChunkWith(raw, digest, opts));
    if (hot.has(digest)) cache.set(digest, p);
    return p;
  };
  const fetch = (pos: number): Promise<ChunkData> => {
    const info = index.chunkInfo(pos);
    if (!info) return Promise.reject(new AppError('CORRUPT_DATA', `index entry ${pos} missing`));
    const size = info.end - info.start;
    if (opts.zeroDigests?.has(info.digest)) {
      return Promise.resolve({ pos, ...info, data: zeroBuffer(size), zero: true });
    }
    return load(info.digest).then((data) => {
      if (data.length !== size) {
        throw new AppError(
          'CORRUPT_DATA',
          `chunk ${info.digest}: wrong length (expected ${size}, got ${data.length})`,
        );
      }
      return { pos, ...info, data, zero: false };
    });
  };
  try {
    while (next < index.count || pending.length > 0) {
      while (next < index.count && pending.length < concurrency) {
        const p = fetch(next++);
        p.catch(() => undefined); // observed when awaited below
        pending.push(p);
      }
      yield await (pending.shift() as Promise<ChunkData>);
    }
  } finally {
    pending.length = 0;
  }
}
