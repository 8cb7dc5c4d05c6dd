import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { IconCloudDownload, IconCloudUpload } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import type { SyncDirection, SyncJob } from '@pbs/api-types';
import { ConfirmModal } from '../../components/confirm-modal';
import { DataTable } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { datastoreAclPath } from '../../lib/datastore-paths';
import { useTRPC } from '../../lib/trpc';
import { useDatastoreList } from '../../lib/use-datastores';
import { useSession } from '../../lib/use-session';
import { useTaskNotice } from '../../lib/use-task-notice';
import { useWhenTaskEnds } from '../../lib/use-when-task-ends';
import { directionOf, syncJobColumns } from './sync-job-columns';
import { SyncJobModal } from './sync-job-modal';

type Editing = { job: SyncJob | null; direction: SyncDirection } | null;

/** Sync Jobs: pull and push jobs of one store (/datastore/:store/sync) or of all (/datastore/sync). */
export function SyncJobsTab() {
  const store = useParams().store;
  const trpc = useTRPC();
  const session = useSession();
  const queryClient = useQueryClient();
  const notice = useTaskNotice();
  const whenTaskEnds = useWhenTaskEnds();
  const datastores = useDatastoreList();
  const [editing, setEditing] = useState<Editing>(null);
  const [removing, setRemoving] = useState<SyncJob | null>(null);
  const list = useQuery(
    trpc.syncJob.list.queryOptions(store === undefined ? {} : { store }, { refetchInterval: 30_000 }),
  );
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.syncJob.pathKey() });
  const remove = useMutation(
    trpc.syncJob.remove.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: async () => {
        setRemoving(null);
        await invalidate();
      },
    }),
  );
  const run = useMutation(
    trpc.syncJob.run.mutationOptions({
      onSuccess: async ({ taskId }, { id }) => {
        notice(`Sync job ${id} started`, taskId);
        whenTaskEnds(taskId, invalidate);
        await invalidate();
      },
    }),
  );
  // PBS: a pull writes into the store (Datastore.Backup), a push reads it (Datastore.Read)
  const mayChange = (s: string) =>
    session.can(datastoreAclPath(s), 'Datastore.Backup', 'Datastore.Modify', 'Datastore.Read');
  const stores = (datastores.data ?? []).map((d) => d.store).filter(mayChange);
  const mayAdd = store === undefined ? stores.length > 0 : mayChange(store);
  const columns = syncJobColumns(store === undefined, {
    mayChange: (job) => mayChange(job.store),
    onRun: (job) => run.mutate({ id: job.id }),
    onEdit: (job) => setEditing({ job, direction: directionOf(job) }),
    onRemove: setRemoving,
  });
  const closeRemove = () => {
    remove.reset();
    setRemoving(null);
  };
  return (
    <Stack gap="sm" component="section" aria-label="Sync jobs">
      <Group justify="space-between">
        <Title order={3} size="h4">
          Sync jobs
        </Title>
        {mayAdd && (
          <Group gap="xs">
            <Button
              size="xs"
              leftSection={<IconCloudDownload size={14} />}
              onClick={() => setEditing({ job: null, direction: 'pull' })}
            >
              Add pull job
            </Button>
            <Button
              size="xs"
              variant="light"
              leftSection={<IconCloudUpload size={14} />}
              onClick={() => setEditing({ job: null, direction: 'push' })}
            >
              Add push job
            </Button>
          </Group>
        )}
      </Group>
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      <DataTable
        label="Sync jobs"
        columns={columns}
        rows={list.data?.items ?? []}
        rowKey={(job) => job.id}
        loading={list.isPending}
        empty={
          <Text size="sm" c="dimmed" span>
            No sync jobs. A pull job copies backups from a remote (or another datastore) into this one; a push
            job copies them to a remote.
          </Text>
        }
        minWidth={1300}
        maxHeight="60vh"
      />
      {editing !== null && (
        <SyncJobModal
          job={editing.job}
          direction={editing.direction}
          digest={list.data?.digest ?? ''}
          store={store}
          stores={stores}
          onClose={() => setEditing(null)}
          onSaved={invalidate}
        />
      )}
      <ConfirmModal
        opened={removing !== null}
        onClose={closeRemove}
        title="Remove sync job"
        confirmLabel="Remove sync job"
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() =>
          removing &&
          remove.mutate({ id: removing.id, digest: list.data?.digest }, { onSuccess: closeRemove })
        }
      >
        {`Remove the sync job '${removing?.id ?? ''}' of datastore '${removing?.store ?? ''}'? Snapshots already synced are kept.`}
      </ConfirmModal>
    </Stack>
  );
}
