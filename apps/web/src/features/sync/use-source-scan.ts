/**
 * What the sync-job editor's pickers offer on the remote side: the datastores, namespaces and
 * groups of a remote (scanned with its stored credentials) or, for a local sync, of this
 * server. Failures are returned, not thrown: the pickers then accept typed values.
 */
import { useQuery } from '@tanstack/react-query';
import type { GroupItem } from '@pbs/api-types';
import { useTRPC } from '../../lib/trpc';
import { useDatastoreList } from '../../lib/use-datastores';

export interface SourceScan {
  stores: string[];
  namespaces: string[];
  groups: GroupItem[] | null;
  groupsLoading: boolean;
  error: unknown;
}

const SCAN = { retry: false, staleTime: 30_000 } as const;

/** remote '' = this server */
export function useSourceScan(remote: string, store: string, ns: string): SourceScan {
  const trpc = useTRPC();
  const isRemote = remote !== '';
  const hasStore = store !== '';
  const local = useDatastoreList();
  const remoteStores = useQuery(
    trpc.remote.scanDatastores.queryOptions({ name: remote }, { ...SCAN, enabled: isRemote }),
  );
  const remoteNs = useQuery(
    trpc.remote.scanNamespaces.queryOptions(
      { name: remote, store },
      { ...SCAN, enabled: isRemote && hasStore },
    ),
  );
  const remoteGroups = useQuery(
    trpc.remote.scanGroups.queryOptions(
      { name: remote, store, ns },
      { ...SCAN, enabled: isRemote && hasStore },
    ),
  );
  const localNs = useQuery(
    trpc.namespace.list.queryOptions({ store }, { ...SCAN, enabled: !isRemote && hasStore }),
  );
  const localGroups = useQuery(
    trpc.group.list.queryOptions({ store, ns }, { ...SCAN, enabled: !isRemote && hasStore }),
  );
  if (isRemote) {
    return {
      stores: (remoteStores.data ?? []).map((s) => s.store),
      namespaces: (remoteNs.data ?? []).map((n) => n.ns).filter((n) => n !== ''),
      groups: hasStore ? (remoteGroups.data ?? null) : null,
      groupsLoading: hasStore && remoteGroups.isPending,
      error: remoteStores.error ?? remoteNs.error ?? remoteGroups.error,
    };
  }
  return {
    stores: (local.data ?? []).map((s) => s.store),
    namespaces: (localNs.data ?? []).map((n) => n.ns).filter((n) => n !== ''),
    groups: hasStore ? (localGroups.data ?? null) : null,
    groupsLoading: hasStore && localGroups.isPending,
    error: localNs.error ?? localGroups.error,
  };
}
