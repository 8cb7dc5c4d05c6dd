import type { LocalFsBackend } from '../local-fs-backend.js';
import type { ChunkFileEntry, ChunkFileKind, ListChunkFilesOptions } from '../storage-backend.js';
import type { S3Client } from './s3-client.js';
import type { S3KeyLayout } from './s3-keys.js';

/*
 * Chunk listings of an S3 datastore. The bucket holds the chunks and bad chunks; their access
 * times live on the cache files (a chunk without one reads as never marked, atime 0). `.using`
 * markers exist only in the cache. Both sources are sorted by name, which sorts by prefix too.
 */

export interface ChunkObject {
  readonly name: string;
  readonly digest: string;
  readonly kind: Exclude<ChunkFileKind, 'using'>;
  /** object size in the bucket */
  readonly size: number;
  readonly key: string;
  readonly lastModifiedMs: number;
}

/** The chunk and bad-chunk objects of the datastore, in key order (ListObjectsV2 pages). */
export async function* listChunkObjects(
  client: S3Client,
  layout: S3KeyLayout,
  opts: ListChunkFilesOptions = {},
): AsyncGenerator<ChunkObject> {
  for await (const obj of client.listObjects(layout.chunkPrefix, opts)) {
    const parsed = layout.parseChunkKey(obj.key);
    if (!parsed || parsed.kind === 'using') continue;
    yield {
      name: parsed.name,
      digest: parsed.digest,
      kind: parsed.kind,
      size: obj.size,
      key: obj.key,
      lastModifiedMs: obj.lastModifiedMs,
    };
  }
}

async function usingMarkers(local: LocalFsBackend, opts: ListChunkFilesOptions): Promise<ChunkFileEntry[]> {
  const out: ChunkFileEntry[] = [];
  for await (const e of local.listChunkFiles(opts)) if (e.kind === 'using') out.push(e);
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** listChunkFiles of the port: bucket objects with cache atimes, merged with `.using` markers. */
export async function* listS3ChunkFiles(
  client: S3Client,
  layout: S3KeyLayout,
  local: LocalFsBackend,
  opts: ListChunkFilesOptions = {},
): AsyncGenerator<ChunkFileEntry> {
  opts.signal?.throwIfAborted();
  const markers = await usingMarkers(local, opts);
  let m = 0;
  for await (const obj of listChunkObjects(client, layout, opts)) {
    while (m < markers.length && (markers[m] as ChunkFileEntry).name < obj.name)
      yield markers[m++] as ChunkFileEntry;
    const st = await local.statChunk(obj.name);
    yield {
      name: obj.name,
      digest: obj.digest,
      kind: obj.kind,
      isFile: true,
      size: obj.size,
      atimeMs: st?.isFile ? st.atimeMs : 0,
      mtimeMs: st?.isFile ? st.mtimeMs : obj.lastModifiedMs,
    };
  }
  while (m < markers.length) yield markers[m++] as ChunkFileEntry;
}
