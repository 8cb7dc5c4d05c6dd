/**
 * The entries below a path of an archive, depth first, named relative to the download's root
 * (so a downloaded folder unpacks as that folder). Lazy: entries are produced as the archive
 * writer asks for them, never collected in memory.
 */
import type { PxarAccessor, PxarFileEntry } from '@pbs/pxar';

export interface WalkedEntry {
  /** path inside the download, '/'-separated, no leading slash */
  name: string;
  file: PxarFileEntry;
}

async function* below(dir: PxarFileEntry, prefix: string): AsyncGenerator<WalkedEntry> {
  const directory = await dir.enterDirectory();
  for await (const child of directory.entries()) {
    const file = await child.decode();
    const name = `${prefix}/${file.entry.fileName.toString('utf8')}`;
    yield { name, file };
    if (file.entry.kind.type === 'directory') yield* below(file, name);
  }
}

/** `paths` are paths inside the archive; each becomes a top-level entry of the download. */
export async function* walkEntries(accessor: PxarAccessor, paths: string[]): AsyncGenerator<WalkedEntry> {
  for (const path of paths) {
    const file = await accessor.lookup(path);
    if (file === null) continue;
    const base = file.entry.fileName.length > 0 ? file.entry.fileName.toString('utf8') : 'root';
    yield { name: base, file };
    if (file.entry.kind.type === 'directory') yield* below(file, base);
  }
}
