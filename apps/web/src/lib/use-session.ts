/**
 * The logged-in caller (auth.whoami, loaded by the auth gate before any page renders) and a
 * privilege check over its permissions.
 */
import { useQuery } from '@tanstack/react-query';
import type { Privilege } from '@pbs/api-types';
import { hasPrivilege, hasPrivilegeBelow, type PermissionMap } from './permissions';
import { useTRPC } from './trpc';

export interface SessionView {
  authId: string;
  permissions: PermissionMap;
  /** one of the privileges on the path (or inherited from an ancestor) */
  can(path: string, ...anyOf: Privilege[]): boolean;
  /** one of the privileges on the path or on any path below it */
  canBelow(path: string, ...anyOf: Privilege[]): boolean;
}

export function useWhoamiOptions() {
  const trpc = useTRPC();
  return trpc.auth.whoami.queryOptions(undefined, { staleTime: 60_000, retry: false });
}

export function useSession(): SessionView {
  const { data } = useQuery(useWhoamiOptions());
  const permissions: PermissionMap = data?.permissions ?? {};
  return {
    authId: data?.authId ?? '',
    permissions,
    can: (path, ...anyOf) => hasPrivilege(permissions, path, ...anyOf),
    canBelow: (path, ...anyOf) => hasPrivilegeBelow(permissions, path, ...anyOf),
  };
}
