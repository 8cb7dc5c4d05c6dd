import { AppError } from '@pbs/api-types/errors';
import type { DatastoreCore } from './datastore-core.js';
import { formatGroup, type BackupGroupRef } from './hierarchy/backup-ref.js';
import {
  listChildNamespaces,
  listGroupRefs,
  listNamespacesRecursive,
  namespaceExists,
} from './hierarchy/listing.js';
import {
  clampMaxDepth,
  describeNamespace,
  formatNamespace,
  isNamespacePrefix,
  mapNamespacePrefix,
  namespaceDir,
  parseNamespace,
  type NamespacePath,
} from './hierarchy/namespace.js';
import { MAX_NAMESPACE_DEPTH } from './names.js';
import { lockAndMoveGroup, type MoveLog } from './group-move.js';
import { removeNamespace } from './namespace-ops.js';

/*
 * move_namespace: `ns` and (to maxDepth) its descendants become `target` and its descendants.
 * Target namespaces are created parent first; groups move one at a time under their locks;
 * groups that are locked are retried once; source namespaces are removed deepest first once
 * empty. Groups that could not move stay where they were and are named in the error.
 */

export interface MoveNamespaceOptions {
  /** levels below `ns` to include (default: all) */
  maxDepth?: number;
  /** remove the emptied source namespaces (default true, as PBS) */
  deleteSource?: boolean;
  /** merge into existing groups of the target (default true, as PBS) */
  mergeGroups?: boolean;
  log?: MoveLog;
}

interface Failure {
  ns: readonly string[];
  group: BackupGroupRef;
  err: AppError;
}

async function checkMoveNamespace(
  core: DatastoreCore,
  src: readonly string[],
  dst: readonly string[],
  subtree: readonly string[][],
): Promise<void> {
  if (src.length === 0) throw new AppError('INVALID_ARGUMENT', 'cannot move root namespace');
  if (formatNamespace(src) === formatNamespace(dst))
    throw new AppError('INVALID_ARGUMENT', 'source and target namespace must be different');
  if (!(await namespaceExists(core, src)))
    throw new AppError('NOT_FOUND', `source ${describeNamespace(src)} does not exist`);
  const parent = dst.slice(0, -1);
  if (!(await namespaceExists(core, parent)))
    throw new AppError('NOT_FOUND', `target parent ${describeNamespace(parent)} does not exist`);
  if (isNamespacePrefix(src, dst))
    throw new AppError('INVALID_ARGUMENT', `cannot move ${describeNamespace(src)} into its own subtree`);
  const deepest = Math.max(...subtree.map((ns) => ns.length)) - src.length;
  if (deepest + dst.length > MAX_NAMESPACE_DEPTH) {
    throw new AppError(
      'INVALID_ARGUMENT',
      `namespace depth limit exceeded: source subtree depth (${deepest}) + target depth (${dst.length}) would exceed max (${MAX_NAMESPACE_DEPTH})`,
    );
  }
}

async function createTargets(
  core: DatastoreCore,
  src: readonly string[],
  dst: readonly string[],
  subtree: readonly string[][],
): Promise<void> {
  for (const ns of [...subtree].sort((a, b) => a.length - b.length)) {
    const target = mapNamespacePrefix(ns, src, dst);
    if (!(await namespaceExists(core, target)))
      await core.backend.createDir(namespaceDir(target), { parents: true });
  }
}

async function moveAll(
  core: DatastoreCore,
  src: readonly string[],
  dst: readonly string[],
  subtree: readonly string[][],
  opts: MoveNamespaceOptions,
): Promise<Failure[]> {
  const move = (ns: readonly string[], group: BackupGroupRef) =>
    lockAndMoveGroup(core, { sourceRoot: src, groupNs: ns, targetRoot: dst }, group, {
      merge: opts.mergeGroups ?? true,
      log: opts.log,
    });
  let pending: Failure[] = [];
  for (const ns of subtree) {
    for (const group of await listGroupRefs(core, ns)) {
      await move(ns, group).catch((err: unknown) => pending.push({ ns, group, err: asAppError(err) }));
    }
  }
  const retry = pending.filter((f) => f.err.code === 'BUSY');
  pending = pending.filter((f) => f.err.code !== 'BUSY');
  for (const f of retry) {
    await move(f.ns, f.group).catch((err: unknown) => pending.push({ ...f, err: asAppError(err) }));
  }
  return pending;
}

function asAppError(err: unknown): AppError {
  return err instanceof AppError
    ? err
    : new AppError('INTERNAL', err instanceof Error ? err.message : String(err), { cause: err });
}

async function removeSources(
  core: DatastoreCore,
  subtree: readonly string[][],
  failed: readonly Failure[],
  out?: MoveLog,
): Promise<void> {
  const included = new Set(subtree.map(formatNamespace));
  for (const ns of [...subtree].sort((a, b) => b.length - a.length)) {
    if (failed.some((f) => isNamespacePrefix(ns, f.ns))) continue; // still holds a group
    const children = await listChildNamespaces(core, ns);
    if (children.some((c) => !included.has(formatNamespace(c)))) continue; // beyond maxDepth or new
    const result = await removeNamespace(core, formatNamespace(ns), { deleteGroups: false });
    if (!result.removedAll)
      out?.warn(`source ${describeNamespace(ns)} was not removed (not empty after the move)`);
  }
}

/** PBS check_move_namespace: the fast answer before a move task starts (the task checks again). */
export async function precheckMoveNamespace(
  core: DatastoreCore,
  ns: NamespacePath,
  target: NamespacePath,
  maxDepth?: number,
): Promise<void> {
  const src = parseNamespace(ns);
  const subtree =
    src.length === 0 ? [[]] : await listNamespacesRecursive(core, src, clampMaxDepth(src, maxDepth));
  await checkMoveNamespace(core, src, parseNamespace(target), subtree);
}

export async function moveNamespace(
  core: DatastoreCore,
  ns: NamespacePath,
  target: NamespacePath,
  opts: MoveNamespaceOptions = {},
): Promise<void> {
  const src = parseNamespace(ns);
  const dst = parseNamespace(target);
  const subtree =
    src.length === 0 ? [[]] : await listNamespacesRecursive(core, src, clampMaxDepth(src, opts.maxDepth));
  await checkMoveNamespace(core, src, dst, subtree);
  await createTargets(core, src, dst, subtree);
  const failed = await moveAll(core, src, dst, subtree, opts);
  if (opts.deleteSource ?? true) await removeSources(core, subtree, failed, opts.log);
  if (failed.length > 0) {
    const names = failed.map(
      (f) => `'${formatGroup(f.group)}' in '${formatNamespace(f.ns)}' (${f.err.message})`,
    );
    const code = failed.every((f) => f.err.code === 'BUSY') ? 'BUSY' : (failed[0] as Failure).err.code;
    throw new AppError(
      code,
      `namespace move partially completed; ${failed.length} group(s) could not be moved and remain at source: ${names.join(', ')}`,
      {
        details: { failed: failed.map((f) => ({ ns: formatNamespace(f.ns), group: f.group })) },
      },
    );
  }
}
