import {
  IconArchive,
  IconCpu,
  IconFile,
  IconFolder,
  IconLink,
  IconLinkPlus,
  IconPlugConnected,
  IconPipeline,
} from '@tabler/icons-react';
import type { BrowseEntry } from '@pbs/api-types';

export type EntryType = BrowseEntry['type'];

/** PBS's catalog entry types, as words. */
export const TYPE_LABELS: Record<EntryType, string> = {
  d: 'Directory',
  f: 'File',
  l: 'Symlink',
  h: 'Hardlink',
  b: 'Block device',
  c: 'Character device',
  p: 'FIFO',
  s: 'Socket',
};

export function EntryIcon({ type, archive = false }: { type: EntryType; archive?: boolean }) {
  const props = { size: 16, 'aria-hidden': true, style: { flexShrink: 0 } } as const;
  if (archive) return <IconArchive {...props} />;
  switch (type) {
    case 'd':
      return <IconFolder {...props} color="var(--mantine-color-yellow-7)" />;
    case 'f':
      return <IconFile {...props} />;
    case 'l':
      return <IconLink {...props} />;
    case 'h':
      return <IconLinkPlus {...props} />;
    case 'b':
    case 'c':
      return <IconCpu {...props} />;
    case 'p':
      return <IconPipeline {...props} />;
    case 's':
      return <IconPlugConnected {...props} />;
  }
}

/** '<archive>/a/b' → '/a/b' (the path as seen inside the archive); an archive → its name. */
export function innerPath(path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? path : path.slice(slash);
}

export function archiveOf(path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? path : path.slice(0, slash);
}

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** directories first, then by name (byte order, as the archive stores them) */
export function compareEntries(a: BrowseEntry, b: BrowseEntry): number {
  if ((a.type === 'd') !== (b.type === 'd')) return a.type === 'd' ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
