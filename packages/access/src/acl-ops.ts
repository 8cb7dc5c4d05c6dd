import { AUTH_ID_REGEX, ROLE_PRIVILEGES, isTokenId, type Role } from '@pbs/api-types/domain';
import { AppError } from '@pbs/api-types/errors';
import type { AccessContext } from './access-context.js';
import { assertAclPathKnown, assertAclPathSyntax, joinAclPath, splitAclPath } from './acl-path.js';
import { compareBytes } from './acl-tree.js';

export interface AclItem {
  path: string;
  ugid: string;
  ugid_type: 'user';
  propagate: boolean;
  roleid: Role;
}

export interface UpdateAclInput {
  path: string;
  role: Role;
  authId: string;
  /** default true */
  propagate?: boolean;
  /** remove this entry instead of adding it */
  delete?: boolean;
}

/** Entries on `path` (default '/') and, unless `exact`, below it; groups are not listed. */
export async function listAcl(
  ctx: AccessContext,
  opts: { path?: string; exact?: boolean } = {},
): Promise<{ digest: string; items: AclItem[] }> {
  const { data: tree, digest } = await ctx.acl.readCached();
  const base = splitAclPath(opts.path ?? '/');
  if (opts.path !== undefined) assertAclPathSyntax(opts.path);
  const start = tree.node(base);
  const items: AclItem[] = [];
  if (!start) return { digest, items };
  for (const [rel, node] of tree.walk(start)) {
    if (opts.exact && rel.length > 0) break;
    const path = joinAclPath([...base, ...rel]);
    for (const ugid of [...node.users.keys()].sort(compareBytes)) {
      const roles = [...(node.users.get(ugid) ?? [])].sort(([a], [b]) => compareBytes(a, b));
      for (const [roleid, propagate] of roles)
        items.push({ path, ugid, ugid_type: 'user', propagate, roleid });
    }
  }
  return { digest, items };
}

function isRole(name: string): name is Role {
  return Object.hasOwn(ROLE_PRIVILEGES, name);
}

export async function updateAcl(ctx: AccessContext, input: UpdateAclInput, digest?: string): Promise<void> {
  const { path, role, authId } = input;
  if (input.delete) assertAclPathSyntax(path);
  else assertAclPathKnown(path);
  if (!isRole(role))
    throw new AppError('INVALID_ARGUMENT', `unknown role '${String(role)}'`, { details: { field: 'role' } });
  if (!AUTH_ID_REGEX.test(authId)) {
    throw new AppError('INVALID_ARGUMENT', `invalid auth id '${authId}'`, { details: { field: 'authId' } });
  }
  if (!input.delete) {
    // deleting entries of vanished users or tokens stays possible, as in PBS
    const { data: users } = await ctx.users.readCached();
    const exists = isTokenId(authId) ? users.token(authId) : users.user(authId);
    if (!exists) {
      const what = isTokenId(authId) ? 'API token' : 'user';
      throw new AppError('NOT_FOUND', `${what} '${authId}' does not exist`, { details: { authId } });
    }
  }
  await ctx.acl.update(digest, (tree) => {
    const components = splitAclPath(path);
    if (input.delete) tree.deleteUserRole(components, authId, role);
    else tree.insertUserRole(components, authId, role, input.propagate ?? true);
  });
}
