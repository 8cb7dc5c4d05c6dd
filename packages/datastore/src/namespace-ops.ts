import { AppError } from '@pbs/api-types/errors';
import type { DatastoreCore } from './datastore-core.js';
import { TYPE_DIRS } from './hierarchy/backup-ref.js';
import {
  listDirOrEmpty,
  listGroupRefs,
  listNamespacesRecursive,
  namespaceExists,
  requireNamespace,
} from './hierarchy/listing.js';
import {
  childNamespacesDir,
  clampMaxDepth,
  describeNamespace,
  formatNamespace,
  namespaceDir,
  namespacePrefix,
  parseNamespace,
  pushNamespace,
  type NamespacePath,
} from './hierarchy/namespace.js';
import { removeGroup } from './snapshot-remove.js';

/*
 * Namespace management (datastore.rs create_namespace, remove_namespace_recursive;
 * api2/admin/namespace.rs). A namespace is just its directory `ns/<name>` below its parent's.
 */

export interface NamespaceListItem {
  ns: NamespacePath;
  /** PBS reserves this for namespace notes, which do not exist yet: always undefined */
  comment?: string;
}

export interface RemoveNamespaceResult {
  /** false if something stayed: protected snapshots, or groups without deleteGroups */
  removedAll: boolean;
  removedGroups: number;
  removedSnapshots: number;
  protectedKept: number;
}

/** The namespace and its descendants to `maxDepth` levels (default: all), parents first. */
export async function listNamespaces(
  core: DatastoreCore,
  parent: NamespacePath,
  maxDepth?: number,
): Promise<NamespaceListItem[]> {
  const components = parseNamespace(parent);
  const depth = clampMaxDepth(components, maxDepth);
  await requireNamespace(core, components);
  const list = await listNamespacesRecursive(core, components, depth);
  return list.map((ns) => ({ ns: formatNamespace(ns) }));
}

/** The parent must exist; ALREADY_EXISTS if the namespace does. */
export async function createNamespace(
  core: DatastoreCore,
  parent: NamespacePath,
  name: string,
): Promise<NamespacePath> {
  const parentComponents = parseNamespace(parent);
  const ns = pushNamespace(parentComponents, name);
  if (!(await namespaceExists(core, parentComponents))) {
    throw new AppError(
      'NOT_FOUND',
      `cannot create new namespace, parent ${describeNamespace(parentComponents)} does not exist`,
    );
  }
  const created = await core.backend.createDir(namespaceDir(ns), { parents: true });
  if (!created)
    throw new AppError('ALREADY_EXISTS', `${describeNamespace(ns)} already exists`, {
      details: { ns: formatNamespace(ns) },
    });
  return formatNamespace(ns);
}

async function removeIfEmpty(core: DatastoreCore, dir: string): Promise<boolean> {
  if ((await core.backend.statFile(dir))?.kind !== 'dir') return true;
  if ((await listDirOrEmpty(core, dir)).length > 0) return false;
  await core.backend.removeDir(dir);
  return true;
}

/** remove_namespace for one level: its groups (if asked), empty type dirs, then the directory. */
async function removeNamespaceLevel(
  core: DatastoreCore,
  ns: readonly string[],
  deleteGroups: boolean,
  result: RemoveNamespaceResult,
): Promise<void> {
  if (deleteGroups) {
    for (const group of await listGroupRefs(core, ns)) {
      const stats = await removeGroup(core, ns, group);
      result.removedSnapshots += stats.removedSnapshots;
      result.protectedKept += stats.protectedKept;
      if (stats.protectedKept === 0) result.removedGroups++;
      else result.removedAll = false;
    }
  }
  for (const type of TYPE_DIRS) await removeIfEmpty(core, `${namespacePrefix(ns)}${type}`);
  await removeIfEmpty(core, childNamespacesDir(ns));
  if (!(await removeIfEmpty(core, namespaceDir(ns)))) result.removedAll = false;
}

/**
 * remove_namespace_recursive, deepest first. Without `deleteGroups` only empty namespaces go;
 * with it every group goes except protected snapshots (which keep their namespaces alive).
 */
export async function removeNamespace(
  core: DatastoreCore,
  ns: NamespacePath,
  opts: { deleteGroups: boolean },
): Promise<RemoveNamespaceResult> {
  const components = parseNamespace(ns);
  if (components.length === 0) throw new AppError('INVALID_ARGUMENT', 'the root namespace cannot be removed');
  await requireNamespace(core, components);
  const all = await listNamespacesRecursive(core, components, clampMaxDepth(components));
  all.sort((a, b) => b.length - a.length);
  const result: RemoveNamespaceResult = {
    removedAll: true,
    removedGroups: 0,
    removedSnapshots: 0,
    protectedKept: 0,
  };
  for (const child of all) await removeNamespaceLevel(core, child, opts.deleteGroups, result);
  return result;
}
