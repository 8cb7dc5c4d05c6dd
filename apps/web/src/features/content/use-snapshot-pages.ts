/**
 * Snapshots come from the server a page at a time (snapshot.list with start/limit, newest
 * first). A "source" is one list — a group's snapshots, or the filter's matches — and only the
 * pages whose rows are on screen are fetched, so a group with 10,000 snapshots costs a few
 * requests, not one huge one.
 */
import { useQueries } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { GroupRef, SnapshotItem } from '@pbs/api-types';
import { useTRPC } from '../../lib/trpc';

export const PAGE_SIZE = 200;

export interface SnapshotSource {
  key: string;
  group?: GroupRef;
  search?: string;
}

export interface SnapshotPages {
  /** the snapshot at `index` of the source, once its page arrived */
  get(sourceKey: string, index: number): SnapshotItem | undefined;
  /** the source's length, once any page arrived */
  total(sourceKey: string): number | undefined;
  /** a page of the source failed */
  error(sourceKey: string): unknown;
  /** fetch the pages holding these indexes (no-op for pages already requested) */
  request(wanted: Array<{ sourceKey: string; index: number }>): void;
}

export function useSnapshotPages(store: string, ns: string, sources: SnapshotSource[]): SnapshotPages {
  const trpc = useTRPC();
  const [requested, setRequested] = useState<Record<string, number[]>>({});
  const plan = sources.flatMap((source) =>
    [0, ...(requested[source.key] ?? []).filter((p) => p !== 0)].map((page) => ({ source, page })),
  );
  const results = useQueries({
    queries: plan.map(({ source, page }) =>
      trpc.snapshot.list.queryOptions(
        {
          store,
          ns,
          start: page * PAGE_SIZE,
          limit: PAGE_SIZE,
          ...(source.group === undefined ? {} : { group: source.group }),
          ...(source.search === undefined ? {} : { search: source.search }),
        },
        { staleTime: 30_000 },
      ),
    ),
  });
  const pages = new Map<string, Map<number, SnapshotItem[]>>();
  const totals = new Map<string, number>();
  const errors = new Map<string, unknown>();
  plan.forEach(({ source, page }, i) => {
    const result = results[i];
    if (result?.data !== undefined) {
      let byPage = pages.get(source.key);
      if (byPage === undefined) {
        byPage = new Map();
        pages.set(source.key, byPage);
      }
      byPage.set(page, result.data.items);
      if (!totals.has(source.key) || page === 0) totals.set(source.key, result.data.total);
    }
    if (result?.isError === true && !errors.has(source.key)) errors.set(source.key, result.error);
  });

  const request = useCallback((wanted: Array<{ sourceKey: string; index: number }>) => {
    setRequested((current) => {
      let next = current;
      for (const { sourceKey, index } of wanted) {
        const page = Math.floor(index / PAGE_SIZE);
        const have = next[sourceKey] ?? [];
        if (page === 0 || have.includes(page)) continue;
        next = { ...next, [sourceKey]: [...have, page] };
      }
      return next;
    });
  }, []);

  return {
    get: (sourceKey, index) => pages.get(sourceKey)?.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    total: (sourceKey) => totals.get(sourceKey),
    error: (sourceKey) => errors.get(sourceKey),
    request,
  };
}
