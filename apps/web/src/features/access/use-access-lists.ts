import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';

/** The user list (with each user's tokens) and its digest, which every update sends back. */
export function useUserList() {
  const trpc = useTRPC();
  return useQuery(trpc.user.list.queryOptions());
}

export function useAclList() {
  const trpc = useTRPC();
  return useQuery(trpc.acl.list.queryOptions({}));
}

/** After any access change: users, tokens, ACL and the caller's own permissions may differ. */
export function useInvalidateAccess() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.user.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.acl.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.auth.whoami.queryKey() }),
    ]);
  };
}
