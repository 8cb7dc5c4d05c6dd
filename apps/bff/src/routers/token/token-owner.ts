/** PBS: users manage their own API tokens; Permissions.Modify on /access/users manages anyone's. */
import { splitAuthId } from '@pbs/api-types';
import type { Caller } from '../../trpc/auth-state.js';
import type { Services } from '../../services/services.js';

export async function checkTokenOwner(services: Services, caller: Caller, userid: string): Promise<void> {
  // A token never manages tokens, not even its siblings: that would let a leaked token mint more.
  if (caller.via === 'ticket' && caller.userid === userid) return;
  await services.access.checkPrivileges(caller.authId, '/access/users', ['Permissions.Modify']);
}

export function tokenOwner(tokenid: string): string {
  return splitAuthId(tokenid).user;
}
