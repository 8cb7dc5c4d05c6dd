import { AUTH_ID_REGEX, roleMask, splitAuthId } from '@pbs/api-types/domain';
import type { AclTree } from './acl-tree.js';
import { isActive, type UserConfig } from './user-config.js';

/*
 * Privilege evaluation as cached_user_info.rs lookup_privs_details, plus the activity checks
 * PBS makes at authentication time: an inactive user, token, or token owner has nothing.
 */

export interface PrivilegeDetails {
  /** everything that applies on the path */
  privs: number;
  /** the part that comes from propagating entries, i.e. also holds below the path */
  propagated: number;
}

const NONE: PrivilegeDetails = { privs: 0, propagated: 0 };

export function isActiveAuthId(users: UserConfig, authId: string, nowSec: number): boolean {
  if (!AUTH_ID_REGEX.test(authId)) return false;
  const { user, token } = splitAuthId(authId);
  const owner = users.user(user);
  if (!owner || !isActive(owner, nowSec)) return false;
  if (token === undefined) return true;
  const record = users.token(authId);
  return record !== undefined && isActive(record, nowSec);
}

export function lookupPrivileges(
  users: UserConfig,
  acl: AclTree,
  authId: string,
  components: readonly string[],
  nowSec: number,
): PrivilegeDetails {
  if (!isActiveAuthId(users, authId, nowSec)) return NONE;
  let privs = 0;
  let propagated = 0;
  for (const [role, propagate] of acl.roles(authId, components)) {
    privs |= roleMask(role);
    if (propagate) propagated |= roleMask(role);
  }
  const { user, token } = splitAuthId(authId);
  if (token !== undefined) {
    const owner = lookupPrivileges(users, acl, user, components, nowSec);
    privs &= owner.privs;
    propagated &= owner.propagated;
  }
  return { privs, propagated };
}
