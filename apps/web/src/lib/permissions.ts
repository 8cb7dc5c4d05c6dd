/**
 * What the caller may do, from `auth.whoami().permissions` (privileges per ACL path, as PBS's
 * /access/permissions reports them). Used only to hide what would fail; the server decides.
 */
import type { Privilege } from '@pbs/api-types';

export type PermissionMap = Record<string, readonly Privilege[]>;

function parentPath(path: string): string | null {
  if (path === '/') return null;
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

/**
 * PBS's /access/permissions always evaluates these paths and leaves out those without any
 * privilege, so a missing one means "nothing here", not "look at the parent".
 */
const ALWAYS_REPORTED = new Set(['/', '/access', '/datastore', '/remote', '/system']);

/** Privileges on a path: its own entry, else the nearest reported ancestor's (propagated). */
export function privilegesAt(perms: PermissionMap, path: string): readonly Privilege[] {
  for (let p: string | null = path; p !== null; p = parentPath(p)) {
    const privs = perms[p];
    if (privs !== undefined) return privs;
    if (ALWAYS_REPORTED.has(p)) return [];
  }
  return [];
}

export function hasPrivilege(perms: PermissionMap, path: string, ...anyOf: Privilege[]): boolean {
  const privs = privilegesAt(perms, path);
  return anyOf.some((priv) => privs.includes(priv));
}

/** One of the privileges on the path or anywhere below it (e.g. any datastore). */
export function hasPrivilegeBelow(perms: PermissionMap, path: string, ...anyOf: Privilege[]): boolean {
  if (hasPrivilege(perms, path, ...anyOf)) return true;
  const prefix = path.endsWith('/') ? path : `${path}/`;
  return Object.entries(perms).some(
    ([p, privs]) => p.startsWith(prefix) && anyOf.some((priv) => privs.includes(priv)),
  );
}
