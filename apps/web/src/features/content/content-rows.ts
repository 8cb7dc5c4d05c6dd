/**
 * The content tree (group → snapshot → archive) flattened into the rows of one virtualised
 * table. Rows of snapshots whose page has not arrived yet are placeholders.
 */
import type { GroupItem, GroupRef, SnapshotItem } from '@pbs/api-types';
import { groupKey, snapshotName } from '../../lib/datastore-paths';
import type { SnapshotPages } from './use-snapshot-pages';

export type ArchiveInfo = SnapshotItem['files'][number];

export type ContentRow =
  | { kind: 'group'; key: string; group: GroupItem; expanded: boolean }
  | {
      kind: 'snapshot';
      key: string;
      sourceKey: string;
      index: number;
      depth: number;
      group: GroupRef;
      snapshot: SnapshotItem | undefined;
      expanded: boolean;
    }
  | { kind: 'archive'; key: string; depth: number; snapshot: SnapshotItem; file: ArchiveInfo }
  | { kind: 'message'; key: string; depth: number; text: string; error?: unknown };

export function snapshotKey(s: { type: string; id: string; time: number }): string {
  return `${s.type}/${s.id}/${s.time}`;
}

export function groupSourceKey(group: GroupRef): string {
  return `group:${groupKey(group)}`;
}

export const SEARCH_SOURCE = 'search';

function pushSnapshots(
  rows: ContentRow[],
  pages: SnapshotPages,
  sourceKey: string,
  fallbackTotal: number | undefined,
  depth: number,
  group: GroupRef | null,
  expandedSnapshots: ReadonlySet<string>,
  emptyText: string,
): void {
  const total = pages.total(sourceKey) ?? fallbackTotal;
  const error = pages.error(sourceKey);
  if (error !== undefined && pages.total(sourceKey) === undefined) {
    rows.push({
      kind: 'message',
      key: `${sourceKey}:error`,
      depth,
      text: 'Could not load the snapshots.',
      error,
    });
    return;
  }
  if (total === undefined) {
    rows.push({ kind: 'message', key: `${sourceKey}:loading`, depth, text: 'Loading snapshots…' });
    return;
  }
  if (total === 0) {
    rows.push({ kind: 'message', key: `${sourceKey}:empty`, depth, text: emptyText });
    return;
  }
  for (let index = 0; index < total; index++) {
    const snapshot = pages.get(sourceKey, index);
    const ref = snapshot ?? group;
    if (snapshot === undefined || ref === null) {
      rows.push({
        kind: 'snapshot',
        key: `${sourceKey}:${index}`,
        sourceKey,
        index,
        depth,
        group: group ?? { type: 'vm', id: '?' },
        snapshot: undefined,
        expanded: false,
      });
      continue;
    }
    const key = snapshotKey(snapshot);
    const expanded = expandedSnapshots.has(key);
    rows.push({
      kind: 'snapshot',
      key: `s:${key}`,
      sourceKey,
      index,
      depth,
      group: { type: snapshot.type, id: snapshot.id },
      snapshot,
      expanded,
    });
    if (!expanded) continue;
    if (snapshot.files.length === 0) {
      rows.push({
        kind: 'message',
        key: `a:${key}:none`,
        depth: depth + 1,
        text: 'No archives (unfinished backup).',
      });
    }
    for (const file of snapshot.files) {
      rows.push({ kind: 'archive', key: `a:${key}/${file.filename}`, depth: depth + 1, snapshot, file });
    }
  }
}

/** Tree mode: every group, with the snapshots (and archives) of the expanded ones. */
export function treeRows(
  groups: readonly GroupItem[],
  expandedGroups: ReadonlySet<string>,
  expandedSnapshots: ReadonlySet<string>,
  pages: SnapshotPages,
): ContentRow[] {
  const rows: ContentRow[] = [];
  for (const group of groups) {
    const key = groupKey(group);
    const expanded = expandedGroups.has(key);
    rows.push({ kind: 'group', key: `g:${key}`, group, expanded });
    if (!expanded) continue;
    pushSnapshots(
      rows,
      pages,
      groupSourceKey(group),
      group.backupCount,
      1,
      { type: group.type, id: group.id },
      expandedSnapshots,
      'No snapshots in this group.',
    );
  }
  return rows;
}

/** Filter mode: the snapshots of the namespace that match, newest first. */
export function searchRows(
  pages: SnapshotPages,
  expandedSnapshots: ReadonlySet<string>,
  q: string,
): ContentRow[] {
  const rows: ContentRow[] = [];
  pushSnapshots(
    rows,
    pages,
    SEARCH_SOURCE,
    undefined,
    0,
    null,
    expandedSnapshots,
    `No snapshot matches '${q}'.`,
  );
  return rows;
}

export function rowName(row: ContentRow): string {
  switch (row.kind) {
    case 'group':
      return groupKey(row.group);
    case 'snapshot':
      return row.snapshot === undefined ? '' : snapshotName(row.snapshot);
    case 'archive':
      return `${snapshotName(row.snapshot)}/${row.file.filename}`;
    case 'message':
      return row.text;
  }
}
