/** Where a file exists across the snapshots of a group, newest first: its version list. */
import type { FileVersion } from '@pbs/api-types';
import type { Datastore, BackupGroupRef } from '@pbs/datastore';
import { entryType, splitArchivePath } from './list-entries.js';
import { openArchive } from './open-archive.js';

export async function fileVersions(
  ds: Datastore,
  ns: string,
  group: BackupGroupRef,
  path: string,
  limit: number,
): Promise<{ versions: FileVersion[]; searched: number }> {
  const { archive, inner } = splitArchivePath(path);
  const snapshots = (await ds.listSnapshots(ns, group))
    .filter((s) => s.finished && s.files.some((f) => f.filename === archive && f.cryptMode !== 'encrypt'))
    .sort((a, b) => b.time - a.time)
    .slice(0, limit);
  const versions: FileVersion[] = [];
  for (const snap of snapshots) {
    const open = await openArchive(ds, ns, snap, archive);
    try {
      const found = await open.accessor.lookup(inner);
      if (found === null) continue;
      const { entry } = found;
      versions.push({
        time: snap.time,
        type: entryType(entry),
        size: entry.kind.type === 'file' ? entry.kind.size : undefined,
        mtime: entry.metadata.stat.mtime.secs,
      });
    } finally {
      open.close();
    }
  }
  return { versions, searched: snapshots.length };
}
