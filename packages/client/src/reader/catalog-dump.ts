import { CatalogReader, PxarDecoder, type Entry } from '@pbs/pxar';
import { lookupManifestFile, type BackupManifest, type CryptConfig } from '@pbs/datastore';
import { AppError } from '@pbs/api-types/errors';
import type { BackupReader } from './backup-reader.js';
import { readChunks } from './chunk-reader.js';
import { indexReadAt } from './index-read-at.js';
import { CATALOG_NAME } from '../repo/names.js';

/*
 * `catalog dump` (catalog.rs dump_catalog): every entry of a snapshot's archives as type, path
 * and for files size and mtime. From `catalog.pcat1.didx` when there is one (legacy archives);
 * split archives have no catalog, their `.mpxar.didx` metadata archives are walked instead
 * (without the payload; entries as the catalog would list them).
 */

export interface CatalogLine {
  /** d f l h b c p s */
  readonly type: string;
  /** absolute, starting with the archive name: "/root.pxar.didx/etc/hosts" */
  readonly path: string;
  readonly size?: number;
  /** epoch seconds */
  readonly mtime?: number;
}

function typeOf(entry: Entry): string | undefined {
  switch (entry.kind.type) {
    case 'directory':
      return 'd';
    case 'file':
      return 'f';
    case 'symlink':
      return 'l';
    case 'hardlink':
      return 'h';
    case 'device':
      return (entry.metadata.stat.mode & 0o170000) === 0o060000 ? 'b' : 'c';
    case 'fifo':
      return 'p';
    case 'socket':
      return 's';
    default:
      return undefined;
  }
}

export async function* catalogLines(
  reader: BackupReader,
  manifest: BackupManifest,
  crypt?: CryptConfig,
): AsyncGenerator<CatalogLine> {
  const cryptMode = (name: string) => lookupManifestFile(manifest, name).cryptMode;
  if (manifest.files.some((f) => f.filename === CATALOG_NAME)) {
    const index = await reader.downloadIndex(manifest, CATALOG_NAME);
    const read = indexReadAt(reader, index, { cryptMode: cryptMode(CATALOG_NAME), ...(crypt && { crypt }) });
    const catalog = await CatalogReader.open(read, index.indexBytes, { name: CATALOG_NAME });
    for await (const e of catalog.walk()) {
      yield {
        type: e.type,
        path: e.path,
        ...(e.type === 'f' && { size: e.size ?? 0, mtime: e.mtime ?? 0 }),
      };
    }
    return;
  }
  const metadataArchives = manifest.files.filter((f) => f.filename.endsWith('.mpxar.didx'));
  if (metadataArchives.length === 0)
    throw new AppError('NOT_FOUND', 'the snapshot has no catalog and no pxar metadata archive');
  for (const file of metadataArchives) {
    const index = await reader.downloadIndex(manifest, file.filename);
    const archive = file.filename.replace(/\.mpxar\.didx$/, '.pxar.didx');
    yield { type: 'd', path: `/${archive}` };
    async function* bytes() {
      for await (const chunk of readChunks(reader, index, {
        cryptMode: file.cryptMode,
        ...(crypt && { crypt }),
      }))
        yield chunk.data;
    }
    for await (const entry of new PxarDecoder(bytes(), { name: file.filename })) {
      const type = typeOf(entry);
      if (type === undefined || entry.path === '/') continue;
      const line: CatalogLine = { type, path: `/${archive}${entry.path}` };
      yield entry.kind.type === 'file'
        ? { ...line, size: entry.kind.size, mtime: Number(entry.metadata.stat.mtime.secs) }
        : line;
    }
  }
}
