import { privilegeMask, privilegeNames, type Privilege } from '@pbs/api-types/domain';
import { AppError } from '@pbs/api-types/errors';
import type { AccessContext } from './access-context.js';
import { joinAclPath, splitAclPath } from './acl-path.js';
import { compareBytes } from './acl-tree.js';
import { lookupPrivileges, type PrivilegeDetails } from './privilege-eval.js';

/** Paths /access/permissions always reports on, whether or not an ACL names them (PBS). */
const DEFAULT_PATHS = ['/', '/access', '/datastore', '/remote', '/system'];

async function details(ctx: AccessContext, authId: string, path: string): Promise<PrivilegeDetails> {
  const [{ data: users }, { data: acl }] = await Promise.all([ctx.users.readCached(), ctx.acl.readCached()]);
  return lookupPrivileges(users, acl, authId, splitAclPath(path), ctx.nowSec());
}

export async function privileges(ctx: AccessContext, authId: string, path: string): Promise<number> {
  return (await details(ctx, authId, path)).privs;
}

export async function checkPrivileges(
  ctx: AccessContext,
  authId: string,
  path: string,
  required: Privilege[],
  opts: { any?: boolean } = {},
): Promise<void> {
  const have = await privileges(ctx, authId, path);
  const need = privilegeMask(required);
  const ok = opts.any ? (have & need) !== 0 : (have & need) === need;
  if (!ok) {
    const names = privilegeNames(need).join(opts.any ? '|' : '&');
    throw new AppError('PERMISSION_DENIED', `permission check failed: '${path}' needs ${names}`, {
      details: { path, required, any: opts.any ?? false },
    });
  }
}

/**
 * Privileges of `authId` on every path an ACL entry exists for, on PBS's default paths and on
 * `path`; paths without any privilege are left out so nothing about other ACLs leaks.
 */
export async function permissions(
  ctx: AccessContext,
  authId: string,
  path?: string,
): Promise<Record<string, Privilege[]>> {
  const [{ data: users }, { data: acl }] = await Promise.all([ctx.users.readCached(), ctx.acl.readCached()]);
  const paths = new Set(DEFAULT_PATHS);
  for (const [components] of acl.walk()) paths.add(joinAclPath(components));
  if (path !== undefined) paths.add(joinAclPath(splitAclPath(path)));
  const result: Record<string, Privilege[]> = {};
  for (const p of [...paths].sort(compareBytes)) {
    const { privs } = lookupPrivileges(users, acl, authId, splitAclPath(p), ctx.nowSec());
    if (privs !== 0) result[p] = privilegeNames(privs);
  }
  return result;
}

/** Whether `authId` has any of `required` on `path` or anywhere below it (PBS any_privs_below). */
export async function anyPrivilegeBelow(
  ctx: AccessContext,
  authId: string,
  path: string,
  required: Privilege[],
): Promise<boolean> {
  const mask = privilegeMask(required);
  if (((await details(ctx, authId, path)).propagated & mask) !== 0) return true;
  const [{ data: users }, { data: acl }] = await Promise.all([ctx.users.readCached(), ctx.acl.readCached()]);
  const base = splitAclPath(path);
  const start = acl.node(base);
  if (!start) return false;
  for (const [rel, node] of acl.walk(start)) {
    if (rel.length === 0 || node.rolesFor(authId, true).size === 0) continue;
    const { privs } = lookupPrivileges(users, acl, authId, [...base, ...rel], ctx.nowSec());
    if ((privs & mask) !== 0) return true;
  }
  return false;
}
