import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import {
  contentPathComponents,
  isLocalStateFile,
  isS3Backend,
  S3_NAMESPACE_MARKER,
  type S3Backend,
} from '@pbs/storage';
import type { Datastore } from '../datastore.js';
import { mapLimit } from '../map-limit.js';
import type { OperationContext } from '../operation-context.js';

/*
 * s3-refresh (pbs-formats §11.4): the bucket's content objects (`<store>/.cnt/…`: owners,
 * notes, snapshot files, namespace markers) are downloaded into a temp directory inside the
 * cache, which then replaces the cache's `vm`, `ct`, `host` and `ns` trees. Chunks are not
 * downloaded: reads fetch them, GC phase 1 leaves `.using` markers for them. The server runs it
 * in maintenance mode `s3-refresh` (no reader or writer may be active); on failure the cache
 * keeps its old trees and the temp directory is removed.
 */

const TREES = ['vm', 'ct', 'host', 'ns'];
const DOWNLOAD_CONCURRENCY = 8;
export const S3_REFRESH_TEMP_PREFIX = '.s3-refresh-';

export interface S3RefreshResult {
  /** files downloaded */
  readonly files: number;
  /** namespace markers seen */
  readonly namespaces: number;
  /** bytes downloaded */
  readonly bytes: number;
}

export function requireS3Backend(ds: Pick<Datastore, 'backend' | 'name'>): S3Backend {
  if (!isS3Backend(ds.backend)) {
    throw new AppError('INVALID_ARGUMENT', `datastore '${ds.name}' is not backed by S3`);
  }
  return ds.backend;
}

async function listContent(backend: S3Backend, ctx: OperationContext): Promise<string[]> {
  const paths: string[] = [];
  for await (const obj of backend.client.listObjects(backend.keys.contentPrefix, { signal: ctx.signal })) {
    const rel = backend.keys.parseContentKey(obj.key);
    if (rel === undefined) continue;
    try {
      contentPathComponents(rel, backend.name);
    } catch {
      ctx.warn(`skipping object '${obj.key}': not a valid datastore path`);
      continue;
    }
    if (!isLocalStateFile(rel)) paths.push(rel);
  }
  return paths;
}

async function download(backend: S3Backend, tmp: string, rels: string[], ctx: OperationContext) {
  let files = 0;
  let namespaces = 0;
  let bytes = 0;
  await mapLimit(rels, DOWNLOAD_CONCURRENCY, async (rel, i) => {
    ctx.signal.throwIfAborted();
    const target = path.join(tmp, ...rel.split('/'));
    if (path.basename(rel) === S3_NAMESPACE_MARKER) {
      await fsp.mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
      namespaces++;
    } else {
      const data = await backend.client.getObject(backend.keys.content(rel));
      await fsp.mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
      await fsp.writeFile(target, data, { mode: 0o644 });
      files++;
      bytes += data.length;
    }
    ctx.progress({
      phase: 'downloading contents',
      itemsDone: i + 1,
      itemsTotal: rels.length,
      fraction: (i + 1) / rels.length,
    });
  });
  return { files, namespaces, bytes };
}

/** Replaces the cache's metadata trees by the bucket's; BUSY while backups are running. */
export async function s3Refresh(ds: Datastore, ctx: OperationContext): Promise<S3RefreshResult> {
  const backend = requireS3Backend(ds);
  if (ds.activeWriters() > 0) {
    throw new AppError('BUSY', `datastore '${ds.name}': cannot refresh from S3 while backups are running`);
  }
  ctx.log(`refreshing datastore '${ds.name}' contents from ${backend.client.describe()}`);
  const tmp = await fsp.mkdtemp(path.join(backend.localBase, S3_REFRESH_TEMP_PREFIX));
  try {
    const rels = await listContent(backend, ctx);
    ctx.log(`found ${rels.length} content objects`);
    const result = await download(backend, tmp, rels, ctx);
    ctx.signal.throwIfAborted();
    for (const tree of TREES) {
      const live = path.join(backend.localBase, tree);
      await fsp.rm(live, { recursive: true, force: true });
      const fresh = path.join(tmp, tree);
      if (await fsp.stat(fresh).catch(() => undefined)) await fsp.rename(fresh, live);
    }
    ctx.log(
      `refreshed ${result.files} files (${result.bytes} bytes) and ${result.namespaces} namespaces; chunks are fetched on demand`,
    );
    return result;
  } finally {
    await fsp.rm(tmp, { recursive: true, force: true });
  }
}
