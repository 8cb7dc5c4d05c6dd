/**
 * PBS's task access rule: callers see and stop their own tasks (a user also those of its tokens);
 * Sys.Audit (read) or Sys.Modify (stop) on /system/tasks extends that to every task.
 */
import { AppError, privilegeBit, splitAuthId, type Privilege } from '@pbs/api-types';
import { parseUpid } from '@pbs/tasks';
import type { Caller } from '../../trpc/auth-state.js';
import type { Services } from '../../services/services.js';

export function ownsTask(caller: Caller, taskAuthId: string): boolean {
  if (taskAuthId === caller.authId) return true;
  return caller.via === 'ticket' && splitAuthId(taskAuthId).user === caller.userid;
}

export async function hasTaskPrivilege(
  services: Services,
  caller: Caller,
  priv: Privilege,
): Promise<boolean> {
  const mask = await services.access.privileges(caller.authId, '/system/tasks');
  return (mask & privilegeBit(priv)) !== 0;
}

export async function checkTaskAccess(
  services: Services,
  caller: Caller,
  upid: string,
  priv: Privilege,
): Promise<void> {
  const task = parseUpid(upid);
  if (ownsTask(caller, task.authId)) return;
  if (await hasTaskPrivilege(services, caller, priv)) return;
  throw new AppError(
    'PERMISSION_DENIED',
    `task '${upid}' belongs to another user; '/system/tasks' needs ${priv}`,
  );
}
