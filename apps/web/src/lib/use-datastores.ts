/** The datastores the caller may see (datastore.list), polled as PBS's navigation tree does. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from './trpc';

const POLL_MS = 15_000;

export function useDatastoreList() {
  const trpc = useTRPC();
  return useQuery(trpc.datastore.list.queryOptions(undefined, { refetchInterval: POLL_MS }));
}

/** After creating, changing or removing a datastore: its list, config, status and jobs. */
export function useInvalidateDatastores() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.datastore.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.gc.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.pruneJob.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.verifyJob.pathKey() }),
    ]);
  };
}
