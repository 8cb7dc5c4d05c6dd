import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from './trpc';

/** The user list (with each user's tokens) and its digest, which every update sends back. */
export function useUserList() {
  const trpc = useTRPC();
  return useQuery(trpc.user.list.queryOptions());
}

/** Every ACL entry, or those on `path` and below it. */
export function useAclList(path?: string) {
  const trpc = useTRPC();
  return useQuery(trpc.acl.list.queryOptions(path === undefined ? {} : { path }));
}

/** After any access change: users, tokens, ACL and the caller's own permissions may differ. */
export function useInvalidateAccess() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.user.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.acl.list.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.auth.whoami.queryKey() }),
    ]);
  };
}
