/** A directory and its expanded subdirectories, flattened into the rows of one table. */
import type { BrowseEntry } from '@pbs/api-types';
import { compareEntries } from './entry-types';

export interface Listing {
  data: readonly BrowseEntry[] | undefined;
  error: unknown;
}

export type BrowseRow =
  | { kind: 'entry'; key: string; depth: number; entry: BrowseEntry; expanded: boolean }
  | { kind: 'message'; key: string; depth: number; text: string; error?: unknown };

function push(
  rows: BrowseRow[],
  path: string,
  depth: number,
  listings: ReadonlyMap<string, Listing>,
  expanded: ReadonlySet<string>,
): void {
  const listing = listings.get(path);
  if (listing === undefined || (listing.data === undefined && listing.error == null)) {
    rows.push({ kind: 'message', key: `${path}\u0000loading`, depth, text: 'Loading…' });
    return;
  }
  if (listing.data === undefined) {
    rows.push({
      kind: 'message',
      key: `${path}\u0000error`,
      depth,
      text: 'Could not list this folder.',
      error: listing.error,
    });
    return;
  }
  if (listing.data.length === 0) {
    rows.push({ kind: 'message', key: `${path}\u0000empty`, depth, text: 'Empty folder.' });
    return;
  }
  for (const entry of [...listing.data].sort(compareEntries)) {
    const open = entry.type === 'd' && expanded.has(entry.path);
    rows.push({ kind: 'entry', key: entry.path, depth, entry, expanded: open });
    if (open) push(rows, entry.path, depth + 1, listings, expanded);
  }
}

/** The rows below `root` (its listing must be loaded; the table shows loading and errors). */
export function browseRows(
  root: string,
  listings: ReadonlyMap<string, Listing>,
  expanded: ReadonlySet<string>,
): BrowseRow[] {
  const listing = listings.get(root);
  if (listing?.data === undefined || listing.data.length === 0) return [];
  const rows: BrowseRow[] = [];
  push(rows, root, 0, listings, expanded);
  return rows;
}
