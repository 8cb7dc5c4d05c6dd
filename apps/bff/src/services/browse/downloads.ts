/**
 * Binary downloads of snapshot content (never through tRPC): raw files, decoded archives
 * (blobs decoded, indexes reassembled chunk by chunk), and files or folders out of pxar
 * archives as they are, or packed as .zip / .tar.zst. Everything streams with backpressure.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { AppError } from '@pbs/api-types';
import {
  archiveKindOf,
  CLIENT_LOG_BLOB_NAME,
  DataBlob,
  DynamicIndexReader,
  FixedIndexReader,
  type Datastore,
  type SnapshotRef,
} from '@pbs/datastore';
import { writeTarZst, writeZip } from './archive-writers.js';
import { splitArchivePath } from './list-entries.js';
import { openArchive } from './open-archive.js';
import { walkEntries } from './walk-entries.js';

export interface DownloadTarget {
  /** sets headers; called once, before the first byte */
  start(contentType: string, fileName: string, size?: number): Writable;
  signal: AbortSignal;
}

async function write(out: Writable, data: Buffer): Promise<void> {
  if (!out.write(data)) await once(out, 'drain');
}

export async function downloadRaw(
  ds: Datastore,
  ns: string,
  snap: SnapshotRef,
  fileName: string,
  target: DownloadTarget,
): Promise<void> {
  const reader = await ds.openReader(ns, snap);
  try {
    const raw = await reader.readFile(fileName);
    const out = target.start('application/octet-stream', fileName, raw.length);
    out.end(raw);
  } finally {
    reader.close();
  }
}

export async function downloadDecoded(
  ds: Datastore,
  ns: string,
  snap: SnapshotRef,
  fileName: string,
  target: DownloadTarget,
): Promise<void> {
  // The client log is not in the manifest; an encrypted one fails to decode with a clear error.
  if (fileName !== CLIENT_LOG_BLOB_NAME) {
    const { manifest } = await ds.loadManifest(ns, snap);
    const file = manifest.files.find((f) => f.filename === fileName);
    if (file === undefined) throw new AppError('NOT_FOUND', `snapshot has no archive '${fileName}'`);
    if (file.cryptMode === 'encrypt') {
      throw new AppError(
        'INVALID_ARGUMENT',
        `archive '${fileName}' is encrypted and cannot be decoded on the server`,
      );
    }
  }
  const reader = await ds.openReader(ns, snap);
  try {
    const raw = await reader.readFile(fileName);
    const plainName = fileName.replace(/\.(blob|fidx|didx)$/, '');
    const kind = archiveKindOf(fileName);
    if (kind === 'blob') {
      target.start('application/octet-stream', plainName).end(DataBlob.load(raw, fileName).decode());
      return;
    }
    const index =
      kind === 'fixed' ? FixedIndexReader.decode(raw, fileName) : DynamicIndexReader.decode(raw, fileName);
    const out = target.start('application/octet-stream', plainName, index.indexBytes);
    for (let pos = 0; pos < index.count && !target.signal.aborted; pos++) {
      const digest = index.digestAt(pos);
      if (digest === undefined) break;
      await write(out, (await reader.loadChunk(digest)).decode({ digest }));
    }
    out.end();
  } finally {
    reader.close();
  }
}

/**
 * `paths` are '<archive>/<path inside>' of one archive. One regular file streams as itself;
 * anything else (a folder, or several paths: the restore basket) is packed.
 */
export async function downloadFromArchive(
  ds: Datastore,
  ns: string,
  snap: SnapshotRef,
  paths: string[],
  format: 'zip' | 'tar.zst',
  baseName: string,
  target: DownloadTarget,
): Promise<void> {
  const split = paths.map(splitArchivePath);
  const archive = split[0]?.archive ?? '';
  if (split.some((p) => p.archive !== archive))
    throw new AppError('INVALID_ARGUMENT', 'all paths of one download must be in the same archive');
  const open = await openArchive(ds, ns, snap, archive);
  try {
    if (split.length === 1) {
      const single = await open.accessor.lookup(split[0]?.inner ?? '/');
      if (single === null)
        throw new AppError('NOT_FOUND', `'${paths[0] ?? ''}' does not exist in the snapshot`);
      if (single.entry.kind.type === 'file') {
        const out = target.start(
          'application/octet-stream',
          single.entry.fileName.toString('utf8'),
          single.entry.kind.size,
        );
        await pipeline(Readable.from(single.contents()), out, { signal: target.signal });
        return;
      }
    }
    const entries = walkEntries(
      open.accessor,
      split.map((p) => p.inner),
    );
    if (format === 'zip')
      await writeZip(entries, target.start('application/zip', `${baseName}.zip`), target.signal);
    else await writeTarZst(entries, target.start('application/zstd', `${baseName}.tar.zst`), target.signal);
  } finally {
    open.close();
  }
}
