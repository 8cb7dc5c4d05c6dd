import { Stack } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import type { VerifyJob } from '@pbs/api-types';
import type { Column } from '../../components/data-table';
import { datastoreAclPath } from '../../lib/datastore-paths';
import { useTRPC } from '../../lib/trpc';
import { useDatastoreList } from '../../lib/use-datastores';
import { useSession } from '../../lib/use-session';
import { useTaskNotice } from '../../lib/use-task-notice';
import { JobGrid } from './job-grid';
import { VerifyJobModal } from './verify-job-modal';

const COLUMNS: Column<VerifyJob>[] = [
  { key: 'ns', header: 'Namespace', render: (job) => job.ns || 'root' },
  { key: 'depth', header: 'Max. depth', width: 90, render: (job) => job.maxDepth ?? 'full' },
  {
    key: 'skip',
    header: 'Skip verified',
    width: 100,
    render: (job) => (job.ignoreVerified === true ? 'yes' : 'no'),
  },
  {
    key: 'outdated',
    header: 'Re-verify after',
    width: 120,
    render: (job) => (job.outdatedAfter === undefined ? 'never' : `${job.outdatedAfter} days`),
  },
  { key: 'schedule', header: 'Schedule', render: (job) => job.schedule ?? 'none' },
];

/** Verify Jobs: per store (/datastore/:store/verify) or for all stores (/datastore/verify). */
export function VerifyJobsTab() {
  const store = useParams().store;
  const trpc = useTRPC();
  const session = useSession();
  const queryClient = useQueryClient();
  const notice = useTaskNotice();
  const datastores = useDatastoreList();
  const list = useQuery(
    trpc.verifyJob.list.queryOptions(store === undefined ? {} : { store }, { refetchInterval: 30_000 }),
  );
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.verifyJob.pathKey() });
  const remove = useMutation(
    trpc.verifyJob.remove.mutationOptions({ meta: { handlesErrors: true }, onSuccess: invalidate }),
  );
  const run = useMutation(
    trpc.verifyJob.run.mutationOptions({
      onSuccess: async ({ taskId }, { id }) => {
        notice(`Verify job ${id} started`, taskId);
        await invalidate();
      },
    }),
  );
  const mayVerify = (s: string) => session.can(datastoreAclPath(s), 'Datastore.Verify');
  const stores = (datastores.data ?? []).map((d) => d.store).filter(mayVerify);
  return (
    <Stack>
      <JobGrid<VerifyJob>
        title="Verify jobs"
        noun="verify job"
        jobs={list.data?.items ?? []}
        loading={list.isPending}
        error={list.error}
        onRetry={() => void list.refetch()}
        columns={COLUMNS}
        showStore={store === undefined}
        mayAdd={store === undefined ? stores.length > 0 : mayVerify(store)}
        mayChange={(job) => mayVerify(job.store)}
        renderForm={(job, onClose) => (
          <VerifyJobModal
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
        empty="No verify jobs. A verify job re-reads snapshots on a schedule and checks every chunk."
      />
    </Stack>
  );
}
