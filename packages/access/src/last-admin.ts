import { AppError } from '@pbs/api-types/errors';
import type { AclTree } from './acl-tree.js';
import { isActive, type UserConfig } from './user-config.js';

function holdsRootAdmin(acl: AclTree, userid: string): boolean {
  return acl.root.users.get(userid)?.has('Admin') ?? false;
}

/**
 * Refuses to remove the last active user holding Admin on '/': without one, nobody could manage
 * users or permissions any more (there is no root@pam fallback here).
 */
export function assertNotLastAdmin(config: UserConfig, acl: AclTree, userid: string, nowSec: number): void {
  if (!holdsRootAdmin(acl, userid)) return;
  const others = config
    .users()
    .filter((u) => u.userid !== userid && isActive(u, nowSec) && holdsRootAdmin(acl, u.userid));
  if (others.length === 0) {
    throw new AppError(
      'INVALID_ARGUMENT',
      `user '${userid}' is the last administrator (role Admin on '/'); give another user that role first`,
      { details: { userid } },
    );
  }
}
