/**
 * URLs and names of datastore objects. Every view has its own URL: the datastore root
 * (`/datastore`, `/datastore/prune-gc`, `/datastore/verify`, `/datastore/sync`), a store's tabs
 * (`/datastore/<store>/<tab>`) and, in Content, the namespace, group and snapshot as search
 * parameters (`?ns=a/b&group=vm/100&snapshot=1700000000`), and a snapshot's file browser
 * (`/datastore/<store>/browse?snapshot=vm/100/2023-11-14T22:13:20Z&path=root.pxar.didx/etc`),
 * so each can be bookmarked.
 */
import { BackupTypeSchema, type GroupRef, type SnapshotRef } from '@pbs/api-types';

export const DATASTORE_TABS = [
  'summary',
  'content',
  'prune-gc',
  'verify',
  'sync',
  'options',
  'permissions',
] as const;
export type DatastoreTab = (typeof DATASTORE_TABS)[number];

export const DATASTORE_ROOT_TABS = ['summary', 'prune-gc', 'verify', 'sync'] as const;
export type DatastoreRootTab = (typeof DATASTORE_ROOT_TABS)[number];

export function datastorePath(store: string, tab: DatastoreTab = 'summary'): string {
  return `/datastore/${encodeURIComponent(store)}/${tab}`;
}

export function datastoreRootPath(tab: DatastoreRootTab = 'summary'): string {
  return tab === 'summary' ? '/datastore' : `/datastore/${tab}`;
}

export const ADD_DATASTORE_PATH = '/datastore/add';

export interface ContentLocation {
  /** '' = root namespace */
  ns: string;
  group: GroupRef | null;
  snapshot: number | null;
  /** the filter box */
  q: string;
}

export function groupKey(group: GroupRef): string {
  return `${group.type}/${group.id}`;
}

/** 'vm/100' → { type: 'vm', id: '100' }; null for anything else. */
export function parseGroup(text: string | null): GroupRef | null {
  if (text === null) return null;
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const type = BackupTypeSchema.safeParse(text.slice(0, slash));
  const id = text.slice(slash + 1);
  if (!type.success || !/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(id)) return null;
  return { type: type.data, id };
}

export function readContentLocation(params: URLSearchParams): ContentLocation {
  const group = parseGroup(params.get('group'));
  const time = Number(params.get('snapshot'));
  return {
    ns: params.get('ns') ?? '',
    group,
    snapshot: group !== null && Number.isInteger(time) && time > 0 ? time : null,
    q: params.get('q') ?? '',
  };
}

export function writeContentLocation(loc: Partial<ContentLocation>): URLSearchParams {
  const params = new URLSearchParams();
  if (loc.ns) params.set('ns', loc.ns);
  if (loc.group) {
    params.set('group', groupKey(loc.group));
    if (loc.snapshot) params.set('snapshot', String(loc.snapshot));
  }
  if (loc.q) params.set('q', loc.q);
  return params;
}

export function contentPath(store: string, loc: Partial<ContentLocation> = {}): string {
  const search = writeContentLocation(loc).toString();
  return `${datastorePath(store, 'content')}${search === '' ? '' : `?${search}`}`;
}

/** A snapshot's backup time as PBS names snapshot directories: UTC RFC 3339 without fraction. */
export function backupTimeText(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** 'vm/100/2023-11-14T22:13:20Z', as PBS names a snapshot. */
export function snapshotName(snapshot: SnapshotRef): string {
  return `${snapshot.type}/${snapshot.id}/${backupTimeText(snapshot.time)}`;
}

/** 'ns/a/ns/b'-free display of a namespace: 'a/b', or 'Root' for the root namespace. */
export function namespaceLabel(ns: string): string {
  return ns === '' ? 'Root namespace' : ns;
}

export function parentNamespace(ns: string): string {
  const cut = ns.lastIndexOf('/');
  return cut < 0 ? '' : ns.slice(0, cut);
}

export function namespaceDepth(ns: string): number {
  return ns === '' ? 0 : ns.split('/').length;
}

/** ACL path of a datastore or one of its namespaces: /datastore/store1/a/b. */
export function datastoreAclPath(store: string, ns = ''): string {
  return ns === '' ? `/datastore/${store}` : `/datastore/${store}/${ns}`;
}

/** PBS's owner rule: the owner itself, or a user acting on a group owned by one of its tokens. */
export function isOwner(owner: string | null, authId: string): boolean {
  if (owner === null || authId === '') return false;
  if (owner === authId) return true;
  const bang = owner.indexOf('!');
  return bang > 0 && !authId.includes('!') && owner.slice(0, bang) === authId;
}

/**
 * The file browser of a snapshot: `/datastore/<store>/browse?ns=&snapshot=host/box/2023-…Z&path=`
 * with `path` '' for the snapshot's archives, '<archive>/<dir>' below, `versions` naming an
 * entry whose version list is open and `basket=1` when the restore basket is open.
 */
export interface BrowseLocation {
  ns: string;
  snapshot: SnapshotRef;
  /** '' = the snapshot's archives; '<archive>' or '<archive>/<dir>' */
  path: string;
  /** an entry's path ('<archive>/<path>') whose versions are shown, or null */
  versions: string | null;
  /** the restore basket is open */
  basket: boolean;
}

/** 'vm/100/2023-11-14T22:13:20Z' (or …/<epoch>) → a snapshot; null for anything else. */
export function parseSnapshotName(text: string | null): SnapshotRef | null {
  if (text === null) return null;
  const cut = text.lastIndexOf('/');
  if (cut < 0) return null;
  const group = parseGroup(text.slice(0, cut));
  const timeText = text.slice(cut + 1);
  const time = /^\d+$/.test(timeText)
    ? Number(timeText)
    : /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(timeText)
      ? Date.parse(timeText) / 1000
      : NaN;
  if (group === null || !Number.isSafeInteger(time) || time <= 0) return null;
  return { ...group, time };
}

/** Trims slashes and refuses '..' (the server would anyway). */
function cleanSnapshotPath(path: string | null): string {
  const parts = (path ?? '').split('/').filter((p) => p !== '' && p !== '.');
  return parts.includes('..') ? '' : parts.join('/');
}

export function readBrowseLocation(params: URLSearchParams): BrowseLocation | null {
  const snapshot = parseSnapshotName(params.get('snapshot'));
  if (snapshot === null) return null;
  const versions = cleanSnapshotPath(params.get('versions'));
  return {
    ns: params.get('ns') ?? '',
    snapshot,
    path: cleanSnapshotPath(params.get('path')),
    versions: versions.includes('/') ? versions : null,
    basket: params.get('basket') === '1',
  };
}

export function browsePath(
  store: string,
  loc: Partial<BrowseLocation> & { ns: string; snapshot: SnapshotRef },
): string {
  const params = new URLSearchParams();
  if (loc.ns) params.set('ns', loc.ns);
  params.set('snapshot', snapshotName(loc.snapshot));
  if (loc.path) params.set('path', loc.path);
  if (loc.versions) params.set('versions', loc.versions);
  if (loc.basket) params.set('basket', '1');
  return `/datastore/${encodeURIComponent(store)}/browse?${params.toString()}`;
}

/** pxar archives (and split metadata archives) can be browsed file by file. */
export function isBrowsableArchive(fileName: string): boolean {
  return /\.(?:pxar|mpxar)\.didx$/.test(fileName);
}
