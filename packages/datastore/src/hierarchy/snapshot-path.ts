import { AppError } from '@pbs/api-types/errors';
import {
  checkBackupId,
  checkBackupType,
  formatSnapshot,
  parseSnapshotDirName,
  type SnapshotRef,
} from './backup-ref.js';
import { formatNamespace, namespacePrefix, parseNamespace, type NamespacePath } from './namespace.js';

/*
 * The one-string snapshot reference of tape catalogs, task logs and verify results
 * (pbs-formats §14, print_ns_and_snapshot): 'ns/a/ns/b/<type>/<id>/<time>', or just
 * '<type>/<id>/<time>' in the root namespace. Parsing takes the last three components as the
 * snapshot and the rest as the namespace path.
 */

export function formatSnapshotPath(ns: NamespacePath, snap: SnapshotRef): string {
  return `${namespacePrefix(parseNamespace(ns))}${formatSnapshot(snap)}`;
}

function invalid(path: string, reason: string): AppError {
  return new AppError('INVALID_ARGUMENT', `unable to parse snapshot path '${path}': ${reason}`, {
    details: { path },
  });
}

function parseNamespacePath(path: string, parts: readonly string[]): string[] {
  if (parts.length % 2 !== 0) throw invalid(path, 'invalid namespace prefix');
  const names: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    if (parts[i] !== 'ns') throw invalid(path, `invalid component in namespace path at '${parts[i]}'`);
    names.push(parts[i + 1] ?? '');
  }
  return names;
}

/** The namespace ('' = root) and snapshot of a path of either form; INVALID_ARGUMENT otherwise. */
export function parseSnapshotPath(path: string): { ns: NamespacePath; snapshot: SnapshotRef } {
  if (typeof path !== 'string') throw invalid(String(path), 'not a string');
  const parts = path.split('/');
  if (parts.length < 3) throw invalid(path, 'expected <type>/<id>/<time>');
  const [type, id, timeName] = parts.slice(-3) as [string, string, string];
  const time = parseSnapshotDirName(timeName);
  if (time === undefined) throw invalid(path, `invalid backup time '${timeName}'`);
  const nsComponents = parseNamespacePath(path, parts.slice(0, -3));
  // the namespace goes through the same validation as API input
  const ns = formatNamespace(parseNamespace(formatNamespace(nsComponents)));
  if (nsComponents.length > 0 && ns === '') throw invalid(path, 'empty namespace component');
  return { ns, snapshot: { type: checkBackupType(type), id: checkBackupId(id), time } };
}
