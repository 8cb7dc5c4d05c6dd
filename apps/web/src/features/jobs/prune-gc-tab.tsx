import { Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import type { PruneJob } from '@pbs/api-types';
import type { Column } from '../../components/data-table';
import { datastoreAclPath } from '../../lib/datastore-paths';
import { describeKeep } from '../../lib/keep-options';
import { useTRPC } from '../../lib/trpc';
import { useDatastoreList } from '../../lib/use-datastores';
import { useSession } from '../../lib/use-session';
import { useTaskNotice } from '../../lib/use-task-notice';
import { GcCard, GcJobsTable } from './gc-section';
import { JobGrid } from './job-grid';
import { PruneJobModal } from './prune-job-modal';

const COLUMNS: Column<PruneJob>[] = [
  { key: 'ns', header: 'Namespace', render: (job) => job.ns || 'root' },
  { key: 'depth', header: 'Max. depth', width: 90, render: (job) => job.maxDepth ?? 'full' },
  { key: 'schedule', header: 'Schedule', render: (job) => job.schedule },
  { key: 'keep', header: 'Keep', render: (job) => describeKeep(job) },
];

function PruneJobGrid({ store }: { store: string | undefined }) {
  const trpc = useTRPC();
  const session = useSession();
  const queryClient = useQueryClient();
  const notice = useTaskNotice();
  const datastores = useDatastoreList();
  const list = useQuery(
    trpc.pruneJob.list.queryOptions(store === undefined ? {} : { store }, { refetchInterval: 30_000 }),
  );
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.pruneJob.pathKey() });
  const remove = useMutation(
    trpc.pruneJob.remove.mutationOptions({ meta: { handlesErrors: true }, onSuccess: invalidate }),
  );
  const run = useMutation(
    trpc.pruneJob.run.mutationOptions({
      onSuccess: async ({ taskId }, { id }) => {
        notice(`Prune job ${id} started`, taskId);
        await invalidate();
      },
    }),
  );
  const mayModify = (s: string) => session.can(datastoreAclPath(s), 'Datastore.Modify');
  const stores = (datastores.data ?? []).map((d) => d.store).filter(mayModify);
  return (
    <JobGrid<PruneJob>
      title="Prune jobs"
      noun="prune job"
      jobs={list.data?.items ?? []}
      loading={list.isPending}
      error={list.error}
      onRetry={() => void list.refetch()}
      columns={COLUMNS}
      showStore={store === undefined}
      mayAdd={store === undefined ? stores.length > 0 : mayModify(store)}
      mayChange={(job) => mayModify(job.store)}
      renderForm={(job, onClose) => (
        <PruneJobModal
          job={job}
          digest={list.data?.digest ?? ''}
          store={store}
          stores={stores}
          onClose={onClose}
        />
      )}
      remove={{
        mutate: (job, options) => remove.mutate({ id: job.id, digest: list.data?.digest }, options),
        isPending: remove.isPending,
        error: remove.error,
        reset: remove.reset,
      }}
      run={(job) => run.mutate({ id: job.id })}
      empty="No prune jobs. A prune job removes old snapshots on a schedule, by keep rules."
    />
  );
}

/** Prune & GC: per store (/datastore/:store/prune-gc) or for all stores (/datastore/prune-gc). */
export function PruneGcTab() {
  const store = useParams().store;
  return (
    <Stack gap="lg">
      {store === undefined ? <GcJobsTable /> : <GcCard store={store} />}
      <PruneJobGrid store={store} />
      <Text size="xs" c="dimmed">
        Prune removes snapshots by the keep rules; the space their chunks took is freed by the next garbage
        collection.
      </Text>
    </Stack>
  );
}
