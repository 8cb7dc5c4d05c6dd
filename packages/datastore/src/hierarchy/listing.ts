import { AppError } from '@pbs/api-types/errors';
import { SAFE_ID_REGEX } from '@pbs/api-types/domain';
import type { ContentEntry } from '@pbs/storage';
import type { DatastoreCore } from '../datastore-core.js';
import { mapLimit } from '../map-limit.js';
import { MANIFEST_BLOB_NAME } from '../manifest.js';
import { BACKUP_FILE_REGEX, BACKUP_ID_REGEX } from '../names.js';
import {
  compareGroups,
  groupDir,
  parseSnapshotDirName,
  snapshotDir,
  TYPE_DIRS,
  type BackupGroupRef,
  type SnapshotRef,
} from './backup-ref.js';
import { childNamespacesDir, describeNamespace, namespaceDir, namespacePrefix } from './namespace.js';

/*
 * Directory scanners of the hierarchy (hierarchy.rs): namespaces, groups and snapshots are
 * whatever directories match their grammar; anything else is silently skipped, as PBS's
 * scandir-based iterators do. Listings are sorted so results do not depend on readdir order.
 */

export const PROTECTED_MARKER = '.protected';
const LIST_CONCURRENCY = 16;

export interface SnapshotEntry {
  readonly time: number;
  /** archive files present (`*.fidx`, `*.didx`, `*.blob`), index.json.blob included */
  readonly files: string[];
  readonly protected: boolean;
  /** the manifest exists */
  readonly finished: boolean;
}

/** Directory entries, or [] if the directory does not exist (anymore). */
export async function listDirOrEmpty(core: DatastoreCore, dir: string): Promise<ContentEntry[]> {
  try {
    return await core.backend.listDir(dir);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return [];
    throw err;
  }
}

export async function isDir(core: DatastoreCore, dir: string): Promise<boolean> {
  return (await core.backend.statFile(dir))?.kind === 'dir';
}

export async function namespaceExists(core: DatastoreCore, ns: readonly string[]): Promise<boolean> {
  return ns.length === 0 || isDir(core, namespaceDir(ns));
}

/** NOT_FOUND unless the namespace exists. */
export async function requireNamespace(core: DatastoreCore, ns: readonly string[]): Promise<void> {
  if (!(await namespaceExists(core, ns))) {
    throw new AppError('NOT_FOUND', `datastore '${core.name}': ${describeNamespace(ns)} not found`, {
      details: { ns: ns.join('/') },
    });
  }
}

/** Direct child namespaces of `ns`, by name. */
export async function listChildNamespaces(core: DatastoreCore, ns: readonly string[]): Promise<string[][]> {
  const entries = await listDirOrEmpty(core, childNamespacesDir(ns));
  return entries
    .filter((e) => e.kind === 'dir' && SAFE_ID_REGEX.test(e.name))
    .map((e) => e.name)
    .sort()
    .map((name) => [...ns, name]);
}

/** `ns` and its descendants down to `maxDepth` levels, parents before children. */
export async function listNamespacesRecursive(
  core: DatastoreCore,
  ns: readonly string[],
  maxDepth: number,
): Promise<string[][]> {
  const out: string[][] = [[...ns]];
  if (maxDepth <= 0) return out;
  for (const child of await listChildNamespaces(core, ns)) {
    out.push(...(await listNamespacesRecursive(core, child, maxDepth - 1)));
  }
  return out;
}

/** The groups of one namespace level, in PBS's group order. */
export async function listGroupRefs(core: DatastoreCore, ns: readonly string[]): Promise<BackupGroupRef[]> {
  const groups: BackupGroupRef[] = [];
  for (const type of TYPE_DIRS) {
    for (const e of await listDirOrEmpty(core, `${namespacePrefix(ns)}${type}`)) {
      if (e.kind === 'dir' && BACKUP_ID_REGEX.test(e.name)) groups.push({ type, id: e.name });
    }
  }
  return groups.sort(compareGroups);
}

export function groupExists(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
): Promise<boolean> {
  return isDir(core, groupDir(ns, group));
}

/** NOT_FOUND unless the group exists. */
export async function requireGroup(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
): Promise<void> {
  if (!(await groupExists(core, ns, group))) {
    throw new AppError('NOT_FOUND', `datastore '${core.name}': group '${groupDir(ns, group)}' not found`, {
      details: { ns: ns.join('/'), group },
    });
  }
}

/** NOT_FOUND unless the snapshot directory exists. */
export async function requireSnapshot(
  core: DatastoreCore,
  ns: readonly string[],
  snap: SnapshotRef,
): Promise<void> {
  if (!(await isDir(core, snapshotDir(ns, snap)))) {
    throw new AppError(
      'NOT_FOUND',
      `datastore '${core.name}': snapshot '${snapshotDir(ns, snap)}' not found`,
      {
        details: { ns: ns.join('/'), snapshot: snap },
      },
    );
  }
}

/** Backup times of the snapshot directories of a group, oldest first. */
export async function listSnapshotTimes(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
): Promise<number[]> {
  const times: number[] = [];
  for (const e of await listDirOrEmpty(core, groupDir(ns, group))) {
    const time = e.kind === 'dir' ? parseSnapshotDirName(e.name) : undefined;
    if (time !== undefined) times.push(time);
  }
  return times.sort((a, b) => a - b);
}

/** list_backup_files: the archive files of a snapshot directory and its protection marker. */
export async function readSnapshotEntry(
  core: DatastoreCore,
  dir: string,
  time: number,
): Promise<SnapshotEntry> {
  const files: string[] = [];
  let isProtected = false;
  for (const e of await listDirOrEmpty(core, dir)) {
    if (e.kind !== 'file') continue;
    if (e.name === PROTECTED_MARKER) isProtected = true;
    else if (BACKUP_FILE_REGEX.test(e.name)) files.push(e.name);
  }
  files.sort();
  return { time, files, protected: isProtected, finished: files.includes(MANIFEST_BLOB_NAME) };
}

/** Every snapshot of a group with its files, oldest first. */
export async function listSnapshotEntries(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
): Promise<SnapshotEntry[]> {
  const times = await listSnapshotTimes(core, ns, group);
  return mapLimit(times, LIST_CONCURRENCY, (time) =>
    readSnapshotEntry(core, snapshotDir(ns, { ...group, time }), time),
  );
}

/** The newest snapshot that has a manifest, without listing every snapshot's files. */
export async function lastFinishedTime(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
): Promise<number | undefined> {
  const times = await listSnapshotTimes(core, ns, group);
  for (let i = times.length - 1; i >= 0; i--) {
    const time = times[i] as number;
    const manifest = await core.backend.statFile(
      `${snapshotDir(ns, { ...group, time })}/${MANIFEST_BLOB_NAME}`,
    );
    if (manifest?.kind === 'file') return time;
  }
  return undefined;
}
