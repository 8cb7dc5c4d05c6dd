/*
 * Decoded manifests by path, valid while the file's size and mtime are unchanged. Listing a
 * group with thousands of snapshots otherwise reads and decompresses every manifest on every
 * page; with the cache a repeated listing costs one stat per snapshot. Entries are evicted in
 * insertion order past the capacity.
 */
import type { ContentStat } from '@pbs/storage';
import type { BackupManifest } from './manifest.js';

export interface CachedManifest {
  manifest: BackupManifest;
  rawLength: number;
}

interface Entry extends CachedManifest {
  size: number;
  mtimeMs: number;
}

export class ManifestCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = 100_000) {}

  get(path: string, stat: ContentStat): CachedManifest | undefined {
    const hit = this.entries.get(path);
    if (hit === undefined || hit.size !== stat.size || hit.mtimeMs !== stat.mtimeMs) return undefined;
    return hit;
  }

  set(path: string, stat: ContentStat, value: CachedManifest): void {
    this.entries.delete(path);
    this.entries.set(path, { ...value, size: stat.size, mtimeMs: stat.mtimeMs });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}
