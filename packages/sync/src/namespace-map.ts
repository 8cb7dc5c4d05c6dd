import { AppError } from '@pbs/api-types/errors';
import { MAX_NAMESPACE_DEPTH } from '@pbs/api-types/domain';

/*
 * Namespace mapping of a sync (pbs §13.2, server/sync.rs): the source side `sourceBase` and
 * everything below it (to max-depth levels) lands under `targetBase` with the same relative path.
 * Both sides must leave room for max-depth levels: base depth + max-depth ≤ 7.
 */

export function nsComponents(ns: string): string[] {
  return ns === '' ? [] : ns.split('/');
}

export function nsDepth(ns: string): number {
  return nsComponents(ns).length;
}

export function joinNs(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

/** Whether `ns` is `base` or below it. */
export function isUnderNs(ns: string, base: string): boolean {
  return base === '' || ns === base || ns.startsWith(`${base}/`);
}

/** INVALID_ARGUMENT when either side has no room for `maxDepth` more levels. */
export function checkSyncDepth(sourceBase: string, targetBase: string, maxDepth: number | undefined): void {
  if (maxDepth === undefined) return;
  for (const [side, ns] of [
    ['source', sourceBase],
    ['target', targetBase],
  ] as const) {
    if (nsDepth(ns) + maxDepth > MAX_NAMESPACE_DEPTH) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `max-depth ${maxDepth} is too deep for the ${side} namespace '${ns}' (depth ${nsDepth(ns)}; at most ${MAX_NAMESPACE_DEPTH} levels in total)`,
      );
    }
  }
}

/** The target namespace of `sourceNs`; INVALID_ARGUMENT when it would be deeper than 7 levels. */
export function mapNamespace(sourceNs: string, sourceBase: string, targetBase: string): string {
  if (!isUnderNs(sourceNs, sourceBase))
    throw new AppError('INTERNAL', `namespace '${sourceNs}' is not below '${sourceBase}'`);
  const relative = nsComponents(sourceNs).slice(nsDepth(sourceBase));
  const target = joinNs(targetBase, ...relative);
  if (nsDepth(target) > MAX_NAMESPACE_DEPTH) {
    throw new AppError(
      'INVALID_ARGUMENT',
      `namespace '${sourceNs}' maps to '${target}', deeper than ${MAX_NAMESPACE_DEPTH} levels`,
    );
  }
  return target;
}

/** Relative depth of `ns` below `base` (0 for base itself). */
export function depthBelow(ns: string, base: string): number {
  return nsDepth(ns) - nsDepth(base);
}
