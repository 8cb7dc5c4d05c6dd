/**
 * Directory listings for the file browser, with PBS's catalog entry types (d f l h b c p s):
 * the snapshot root lists its pxar archives, below that the archive's own directories.
 */
import type { Datastore, SnapshotRef } from '@pbs/datastore';
import type { PxarFileEntry } from '@pbs/pxar';
import { isBrowsableArchive, openArchive } from './open-archive.js';

export interface BrowseEntry {
  /** full path: '<archive>/<path inside>' */
  path: string;
  name: string;
  type: 'd' | 'f' | 'l' | 'h' | 'b' | 'c' | 'p' | 's';
  size?: number;
  /** epoch seconds */
  mtime?: number;
  /** directories are not leaves: the tree can expand them */
  leaf: boolean;
}

const S_IFMT = 0o170000;
const S_IFBLK = 0o060000;

export function entryType(entry: PxarFileEntry['entry']): BrowseEntry['type'] {
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
      return (entry.metadata.stat.mode & S_IFMT) === S_IFBLK ? 'b' : 'c';
    case 'fifo':
      return 'p';
    default:
      return 's';
  }
}

/** Splits '<archive>/<inner>' into the archive name and the path inside it ('/' for its root). */
export function splitArchivePath(path: string): { archive: string; inner: string } {
  const trimmed = path.replace(/^\/+/, '');
  const slash = trimmed.indexOf('/');
  return slash < 0
    ? { archive: trimmed, inner: '/' }
    : { archive: trimmed.slice(0, slash), inner: trimmed.slice(slash) || '/' };
}

export async function listSnapshotPath(
  ds: Datastore,
  ns: string,
  snap: SnapshotRef,
  path: string,
): Promise<BrowseEntry[]> {
  if (path.replace(/^\/+/, '') === '') {
    const { manifest } = await ds.loadManifest(ns, snap);
    return manifest.files
      .filter((f) => isBrowsableArchive(f.filename))
      .map((f) => ({ path: f.filename, name: f.filename, type: 'd', size: f.size, leaf: false }));
  }
  const { archive, inner } = splitArchivePath(path);
  const open = await openArchive(ds, ns, snap, archive);
  try {
    const entries = await open.accessor.listDirectory(inner);
    return entries.map(({ entry }) => {
      const type = entryType(entry);
      const size = entry.kind.type === 'file' ? entry.kind.size : undefined;
      const name = entry.fileName.toString('utf8');
      return {
        path: `${archive}${entry.path}`,
        name,
        type,
        size,
        mtime: entry.metadata.stat.mtime.secs,
        leaf: type !== 'd',
      };
    });
  } finally {
    open.close();
  }
}
