import { useQuery } from '@tanstack/react-query';
import { useTRPC } from './trpc';

/** Product name, version and bug tracker URL (public: the login page shows them too). */
export function useServerInfo() {
  const trpc = useTRPC();
  return useQuery(trpc.node.info.queryOptions(undefined, { staleTime: Infinity }));
}
