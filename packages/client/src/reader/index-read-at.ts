import { AppError } from '@pbs/api-types/errors';
import type { CryptConfig, Digest, IndexFile } from '@pbs/datastore';
import type { BackupReader } from './backup-reader.js';
import { decodeChunk } from '../codec/decode-chunk.js';

/*
 * Random access into an archive through its index (pbs-client BufferedDynamicReader +
 * RemoteChunkReader): `read(offset, length)` fetches the chunks covering the range, decoded and
 * digest-checked, with a small LRU cache of decoded chunks. Used for catalogs and pxar accessors.
 */

export interface IndexReadAtOptions {
  readonly crypt?: CryptConfig;
  readonly cryptMode: 'none' | 'encrypt' | 'sign-only';
  /** decoded chunks kept (default 8) */
  readonly cacheSize?: number;
}

export function indexReadAt(
  reader: BackupReader,
  index: IndexFile,
  opts: IndexReadAtOptions,
): (offset: number, length: number) => Promise<Buffer> {
  const cache = new Map<Digest, Promise<Buffer>>();
  const limit = opts.cacheSize ?? 8;
  const chunk = (digest: Digest): Promise<Buffer> => {
    const hit = cache.get(digest);
    if (hit) {
      cache.delete(digest);
      cache.set(digest, hit);
      return hit;
    }
    const p = reader
      .downloadChunk(digest)
      .then((raw) => decodeChunk(raw, digest, opts.cryptMode, opts.crypt));
    p.catch(() => cache.delete(digest));
    cache.set(digest, p);
    while (cache.size > limit) cache.delete(cache.keys().next().value as Digest);
    return p;
  };
  return async (offset, length) => {
    if (offset < 0 || length < 0 || offset + length > index.indexBytes) {
      throw new AppError('INVALID_ARGUMENT', `read of ${length} bytes at ${offset} beyond the archive end`);
    }
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const at = index.chunkFromOffset(offset + done);
      const info = at && index.chunkInfo(at.pos);
      if (!at || !info) throw new AppError('CORRUPT_DATA', `no chunk at offset ${offset + done}`);
      const data = await chunk(info.digest);
      done += data.copy(out, done, at.offsetInChunk, Math.min(data.length, at.offsetInChunk + length - done));
    }
    return out;
  };
}
