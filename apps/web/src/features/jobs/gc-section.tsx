import { Button, Card, Group, Modal, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconEdit, IconPlayerPlay } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { GcJob } from '@pbs/api-types';
import { ByteSize } from '../../components/byte-size';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { Fact } from '../../components/fact';
import { FormError } from '../../components/form-error';
import { RowActions } from '../../components/row-actions';
import { ScheduleInput } from '../../components/schedule-input';
import { datastoreAclPath } from '../../lib/datastore-paths';
import { serverFieldErrors } from '../../lib/form';
import { useTRPC } from '../../lib/trpc';
import { useInvalidateDatastores } from '../../lib/use-datastores';
import { useSession } from '../../lib/use-session';
import { useTaskNotice } from '../../lib/use-task-notice';
import { duration, LastRun, nextRun, storeColumn } from './job-columns';

/** Starts GC on a store; the notice links to its task. */
function useRunGc() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notice = useTaskNotice();
  return useMutation(
    trpc.gc.run.mutationOptions({
      onSuccess: async ({ taskId }, { store }) => {
        notice(`Garbage collection of ${store} started`, taskId);
        await queryClient.invalidateQueries({ queryKey: trpc.gc.pathKey() });
      },
    }),
  );
}

function GcScheduleModal({
  store,
  schedule,
  onClose,
}: {
  store: string;
  schedule: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidateDatastores();
  const config = useQuery(trpc.datastore.get.queryOptions({ store }));
  const form = useForm({ initialValues: { gcSchedule: schedule } });
  const update = useMutation(
    trpc.datastore.update.mutationOptions({
      meta: { handlesErrors: true },
      onError: (err) => form.setErrors(serverFieldErrors(err, ['gcSchedule']).errors),
      onSuccess: async () => {
        await invalidate();
        onClose();
      },
    }),
  );
  return (
    <Modal opened onClose={onClose} title={`GC schedule of ${store}`}>
      <form
        noValidate
        onSubmit={form.onSubmit((v) => {
          const value = v.gcSchedule.trim();
          update.mutate({
            name: store,
            digest: config.data?.digest,
            ...(value === '' ? { delete: ['gcSchedule'] } : { gcSchedule: value }),
          });
        })}
      >
        <Stack>
          <ScheduleInput
            label="GC schedule"
            placeholder="none"
            data-autofocus
            {...form.getInputProps('gcSchedule')}
          />
          {update.error !== null && !serverFieldErrors(update.error, ['gcSchedule']).placed && (
            <FormError error={update.error} onReload={() => void config.refetch()} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending} disabled={config.data === undefined}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** One store's garbage collection: schedule, last and next run, what the last run found; run now. */
export function GcCard({ store }: { store: string }) {
  const trpc = useTRPC();
  const session = useSession();
  const gc = useQuery(
    trpc.gc.status.queryOptions(
      { store },
      { refetchInterval: (query) => (query.state.data?.status.lastRunState === 'running' ? 3000 : 30_000) },
    ),
  );
  const run = useRunGc();
  const [editing, setEditing] = useState(false);
  const canModify = session.can(datastoreAclPath(store), 'Datastore.Modify');
  const status = gc.data?.gcStatus;
  return (
    <Card withBorder component="section" aria-label="Garbage collection">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            Garbage collection
          </Title>
          {canModify && (
            <Group gap="xs">
              <Button
                size="xs"
                variant="default"
                leftSection={<IconEdit size={14} />}
                onClick={() => setEditing(true)}
                disabled={gc.data === undefined}
              >
                Edit schedule
              </Button>
              <Button
                size="xs"
                leftSection={<IconPlayerPlay size={14} />}
                loading={run.isPending}
                disabled={gc.data?.status.lastRunState === 'running'}
                onClick={() => run.mutate({ store })}
              >
                Start garbage collection
              </Button>
            </Group>
          )}
        </Group>
        {gc.isPending && <Skeleton h={100} />}
        {gc.isError && <ErrorAlert error={gc.error} onRetry={() => void gc.refetch()} />}
        {gc.data && (
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="xs">
            <Fact label="Schedule">{gc.data.schedule ?? 'none'}</Fact>
            <Fact label="Last run">
              <LastRun status={gc.data.status} what="garbage collection" />
            </Fact>
            <Fact label="Duration">{duration(gc.data.status) || '—'}</Fact>
            <Fact label="Next run">{nextRun(gc.data.status)}</Fact>
            {status != null && (
              <>
                <Fact label="Removed data">
                  <ByteSize bytes={status.removedBytes} /> ({status.removedChunks} chunks)
                </Fact>
                <Fact label="Pending data">
                  <ByteSize bytes={status.pendingBytes} /> ({status.pendingChunks} chunks)
                </Fact>
                <Fact label="On disk">
                  <ByteSize bytes={status.diskBytes} /> ({status.diskChunks} chunks)
                </Fact>
                <Fact label="Bad chunks">
                  {status.stillBad} still bad, {status.removedBad} removed
                </Fact>
              </>
            )}
          </SimpleGrid>
        )}
        {gc.data && status == null && (
          <Text size="sm" c="dimmed">
            Garbage collection has not run yet. It removes chunks no snapshot uses any more.
          </Text>
        )}
      </Stack>
      {editing && gc.data && (
        <GcScheduleModal store={store} schedule={gc.data.schedule ?? ''} onClose={() => setEditing(false)} />
      )}
    </Card>
  );
}

/** The datastore root: every store's GC schedule and last run. */
export function GcJobsTable() {
  const trpc = useTRPC();
  const session = useSession();
  const list = useQuery(trpc.gc.list.queryOptions(undefined, { refetchInterval: 30_000 }));
  const run = useRunGc();
  const columns: Column<GcJob>[] = [
    storeColumn<GcJob>(),
    { key: 'schedule', header: 'Schedule', render: (job) => job.schedule ?? 'none' },
    {
      key: 'last',
      header: 'Last run',
      width: 230,
      render: (job) => <LastRun status={job.status} what={`garbage collection of ${job.store}`} />,
    },
    { key: 'duration', header: 'Duration', width: 90, render: (job) => duration(job.status) },
    { key: 'next', header: 'Next run', width: 170, render: (job) => nextRun(job.status) },
    {
      key: 'actions',
      header: '',
      width: 60,
      render: (job) =>
        session.can(datastoreAclPath(job.store), 'Datastore.Modify') && (
          <RowActions
            actions={[
              {
                label: `Start garbage collection of ${job.store}`,
                icon: <IconPlayerPlay size={16} />,
                onClick: () => run.mutate({ store: job.store }),
              },
            ]}
          />
        ),
    },
  ];
  return (
    <Stack gap="sm" component="section" aria-label="Garbage collection jobs">
      <Title order={3} size="h4">
        Garbage collection
      </Title>
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      <DataTable
        label="Garbage collection jobs"
        columns={columns}
        rows={list.data ?? []}
        rowKey={(job) => job.store}
        loading={list.isPending}
        empty="No datastore yet."
        maxHeight="40vh"
      />
    </Stack>
  );
}
