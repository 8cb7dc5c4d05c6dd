import { AppError } from '@pbs/api-types/errors';
import { SAFE_ID_REGEX } from '@pbs/api-types/domain';
import { MAX_BACKUP_NAMESPACE_LENGTH, MAX_NAMESPACE_DEPTH } from '../names.js';

/*
 * Namespaces (pbs-formats §14, BackupNamespace in pbs-api-types): the API spells them 'a/b/c'
 * ('' is the root), the datastore stores them as 'ns/a/ns/b/ns/c' so that a namespace can never
 * clash with a type directory. Every component is a SAFE_ID, so a validated namespace can never
 * name '..', an absolute path or anything outside the datastore.
 */

/** a namespace as PBS's API spells it: '' = root, 'a/b/c' */
export type NamespacePath = string;

function invalid(ns: unknown, reason: string): AppError {
  return new AppError('INVALID_ARGUMENT', `invalid namespace ${JSON.stringify(ns)}: ${reason}`, {
    details: { ns },
  });
}

/** BackupNamespace::push: one more level, with PBS's depth, length and name checks. */
export function pushNamespace(components: readonly string[], name: unknown): string[] {
  const whole = [...components, name].join('/');
  if (typeof name !== 'string') throw invalid(whole, 'component is not a string');
  if (name.includes('/')) throw invalid(whole, 'namespace component contained a slash');
  if (components.length >= MAX_NAMESPACE_DEPTH) {
    throw invalid(whole, `namespace too deep, ${components.length} >= max ${MAX_NAMESPACE_DEPTH}`);
  }
  if (whole.length > MAX_BACKUP_NAMESPACE_LENGTH) {
    throw invalid(whole, `namespace length exceeded (max ${MAX_BACKUP_NAMESPACE_LENGTH})`);
  }
  if (!SAFE_ID_REGEX.test(name)) throw invalid(whole, `not a valid namespace component: '${name}'`);
  // one directory level on disk; longer names could not be created anyway
  if (Buffer.byteLength(name) > 255) throw invalid(whole, 'namespace component longer than 255 bytes');
  return [...components, name];
}

/** The validated components of `ns` ([] for the root); INVALID_ARGUMENT on bad input. */
export function parseNamespace(ns: NamespacePath): string[] {
  if (typeof ns !== 'string') throw invalid(ns, 'not a string');
  if (ns === '') return [];
  let components: string[] = [];
  for (const part of ns.split('/')) components = pushNamespace(components, part);
  return components;
}

export function formatNamespace(components: readonly string[]): NamespacePath {
  return components.join('/');
}

/** 'ns/a/ns/b' ('' for the root): the namespace directory relative to the datastore. */
export function namespaceDir(components: readonly string[]): string {
  return components.map((c) => `ns/${c}`).join('/');
}

/** 'ns/a/ns/b/' ('' for the root): what precedes a type directory. */
export function namespacePrefix(components: readonly string[]): string {
  return components.length === 0 ? '' : `${namespaceDir(components)}/`;
}

/** The directory holding the child namespaces of `components` ('ns', 'ns/a/ns'). */
export function childNamespacesDir(components: readonly string[]): string {
  return `${namespacePrefix(components)}ns`;
}

/**
 * Recursion depth below `components`: max-depth counts relative to the start and is clamped
 * to what the hierarchy allows (ListNamespacesRecursive::new_max_depth).
 */
export function clampMaxDepth(components: readonly string[], maxDepth?: number): number {
  if (maxDepth === undefined) return MAX_NAMESPACE_DEPTH - components.length;
  if (!Number.isInteger(maxDepth) || maxDepth < 0 || maxDepth > MAX_NAMESPACE_DEPTH) {
    throw new AppError('INVALID_ARGUMENT', `max-depth must be an integer from 0 to ${MAX_NAMESPACE_DEPTH}`, {
      details: { maxDepth },
    });
  }
  return Math.min(maxDepth, MAX_NAMESPACE_DEPTH - components.length);
}

/** `child` with the prefix `from` replaced by `to` (BackupNamespace::map_prefix). */
export function mapNamespacePrefix(
  child: readonly string[],
  from: readonly string[],
  to: readonly string[],
): string[] {
  if (!isNamespacePrefix(from, child)) {
    throw new AppError(
      'INVALID_ARGUMENT',
      `failed to map namespace - '${formatNamespace(from)}' is not a prefix of '${formatNamespace(child)}'`,
    );
  }
  let mapped = [...to];
  for (const part of child.slice(from.length)) mapped = pushNamespace(mapped, part);
  return mapped;
}

/** true if `prefix` is `ns` itself or one of its ancestors */
export function isNamespacePrefix(prefix: readonly string[], ns: readonly string[]): boolean {
  return prefix.length <= ns.length && prefix.every((c, i) => ns[i] === c);
}

/** "namespace 'a/b'" or "root namespace", for messages */
export function describeNamespace(components: readonly string[]): string {
  return components.length === 0 ? 'root namespace' : `namespace '${formatNamespace(components)}'`;
}
