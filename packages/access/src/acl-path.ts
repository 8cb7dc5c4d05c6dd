import { ACL_PATH_REGEX } from '@pbs/api-types/domain';
import { AppError } from '@pbs/api-types/errors';

/** Namespace depth limit of PBS (MAX_NAMESPACE_DEPTH). */
const MAX_NAMESPACE_DEPTH = 7;

/** Path components, ignoring empty ones as PBS's split_acl_path does ('/' → []). */
export function splitAclPath(path: string): string[] {
  return path.split('/').filter((part) => part !== '');
}

export function joinAclPath(components: readonly string[]): string {
  return `/${components.join('/')}`;
}

/** Which objects an ACL may name, as pbs-config acl.rs check_acl_path. */
function knownPath(c: readonly string[]): boolean {
  const [top, second, third] = c;
  const n = c.length;
  switch (top) {
    case undefined:
      return true;
    case 'access':
      return (
        n === 1 ||
        (n === 2 && ['acl', 'users', 'domains'].includes(second ?? '')) ||
        (second === 'openid' && n <= 3)
      );
    case 'datastore':
      return n <= 2 + MAX_NAMESPACE_DEPTH;
    case 'remote':
      return n <= 3 + MAX_NAMESPACE_DEPTH;
    case 'system':
      return n === 1 || knownSystemPath(second ?? '', third, n);
    case 'tape':
      return n === 1 || (['device', 'pool', 'job'].includes(second ?? '') && n <= 3);
    default:
      return false;
  }
}

function knownSystemPath(second: string, third: string | undefined, n: number): boolean {
  if (['certificates', 'disks', 'log', 'notifications', 'status', 'tasks', 'time'].includes(second))
    return n === 2;
  if (['services', 's3-endpoint', 'encryption-keys'].includes(second)) return n <= 3;
  if (second !== 'network') return false;
  return n === 2 || (third === 'dns' && n === 3) || (third === 'interfaces' && n <= 4);
}

/** Syntax check for every ACL path argument. */
export function assertAclPathSyntax(path: string): void {
  if (path.length > 128 || !ACL_PATH_REGEX.test(path)) {
    throw new AppError('INVALID_ARGUMENT', `invalid acl path '${path}'`, { details: { field: 'path' } });
  }
}

/** Syntax plus PBS's object check; applied when an entry is added (deleting any path is allowed). */
export function assertAclPathKnown(path: string): void {
  assertAclPathSyntax(path);
  if (!knownPath(splitAclPath(path))) {
    throw new AppError('INVALID_ARGUMENT', `invalid acl path '${path}': no such object`, {
      details: { field: 'path' },
    });
  }
}
