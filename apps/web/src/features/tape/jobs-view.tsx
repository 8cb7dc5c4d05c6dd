import { Anchor, Button, Group, Stack, Text, VisuallyHidden } from '@mantine/core';
import { IconEdit, IconPlayerPlay, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { JobStatus, TapeBackupJob } from '@pbs/api-types';
import { ConfirmModal } from '../../components/confirm-modal';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { RowActions } from '../../components/row-actions';
import { StatusBadge } from '../../components/status-badge';
import { formatDuration, formatEpoch } from '../../lib/format';
import { taskPath } from '../../lib/task-search';
import type { ActionHandle, Loaded } from './handles';
import { TapeJobModal, type TapeJobModalProps } from './job-modal';

export interface JobsViewProps {
  jobs: Loaded<{ digest: string; items: TapeBackupJob[] }>;
  stores: string[];
  pools: string[];
  drives: string[];
  mayModify: boolean;
  create: TapeJobModalProps['create'];
  update: TapeJobModalProps['update'];
  remove: ActionHandle<{ id: string; digest?: string }>;
  run: (job: TapeBackupJob) => void;
}

function LastRun({ job }: { job: TapeBackupJob }) {
  const status: JobStatus = job.status;
  if (status.lastRunState === null) {
    return (
      <Text size="sm" c="dimmed">
        never
      </Text>
    );
  }
  const when = formatEpoch(status.lastRunEndtime ?? status.lastRunStarttime);
  const took =
    status.lastRunStarttime === null || status.lastRunEndtime === null
      ? ''
      : ` (${formatDuration(status.lastRunEndtime - status.lastRunStarttime)})`;
  return (
    <Group gap={6} wrap="nowrap">
      <StatusBadge state={status.lastRunState} />
      {status.lastRunUpid === null ? (
        <Text size="sm">{`${when}${took}`}</Text>
      ) : (
        <Anchor
          component={Link}
          to={taskPath(status.lastRunUpid)}
          size="sm"
          aria-label={`Last task of tape backup job ${job.id}`}
        >
          {when === '' ? 'running' : `${when}${took}`}
        </Anchor>
      )}
    </Group>
  );
}

function groups(job: TapeBackupJob): string {
  const parts = [
    `${job.ns === undefined || job.ns === '' ? 'root' : job.ns}${job.maxDepth !== undefined ? ` (depth ${job.maxDepth})` : ''}`,
  ];
  if (job.groupFilter !== undefined && job.groupFilter.length > 0) parts.push(job.groupFilter.join(', '));
  if (job.latestOnly === true) parts.push('latest only');
  return parts.join('; ');
}

/** Tape Backup Jobs: what goes to which pool and drive, when; last and next run; run now. */
export function JobsView(props: JobsViewProps) {
  const { jobs, stores, pools, drives, mayModify } = props;
  const [editing, setEditing] = useState<TapeBackupJob | 'new' | null>(null);
  const [removing, setRemoving] = useState<TapeBackupJob | null>(null);
  const digest = jobs.data?.digest ?? '';
  const columns: Column<TapeBackupJob>[] = [
    { key: 'id', header: 'Job ID', render: (j) => j.id },
    { key: 'store', header: 'Datastore', render: (j) => j.store },
    { key: 'pool', header: 'Media pool', render: (j) => j.pool },
    { key: 'drive', header: 'Drive', render: (j) => j.drive },
    { key: 'groups', header: 'Namespace and groups', render: groups },
    { key: 'schedule', header: 'Schedule', render: (j) => j.schedule ?? 'none' },
    { key: 'last', header: 'Last run', width: 260, render: (j) => <LastRun job={j} /> },
    {
      key: 'next',
      header: 'Next run',
      width: 170,
      render: (j) => (j.status.nextRun === null ? 'not scheduled' : formatEpoch(j.status.nextRun)),
    },
    { key: 'media', header: 'Next media', render: (j) => j.nextMedia ?? '' },
    { key: 'comment', header: 'Comment', render: (j) => j.comment ?? '' },
    {
      key: 'actions',
      header: <VisuallyHidden>Actions</VisuallyHidden>,
      width: 120,
      render: (j) =>
        mayModify ? (
          <RowActions
            actions={[
              {
                label: `Run tape backup job ${j.id} now`,
                icon: <IconPlayerPlay size={16} />,
                onClick: () => props.run(j),
              },
              {
                label: `Edit tape backup job ${j.id}`,
                icon: <IconEdit size={16} />,
                onClick: () => setEditing(j),
              },
              {
                label: `Remove tape backup job ${j.id}`,
                icon: <IconTrash size={16} />,
                color: 'red',
                onClick: () => setRemoving(j),
              },
            ]}
          />
        ) : null,
    },
  ];
  const closeEdit = () => {
    props.create.reset();
    props.update.reset();
    setEditing(null);
  };
  const closeRemove = () => {
    props.remove.reset();
    setRemoving(null);
  };
  return (
    <Stack gap="sm" component="section" aria-label="Tape backup jobs">
      <Group justify="flex-end">
        {mayModify && (
          <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setEditing('new')}>
            Add tape backup job
          </Button>
        )}
      </Group>
      {jobs.error != null && <ErrorAlert error={jobs.error} onRetry={jobs.retry} />}
      <DataTable
        label="Tape backup jobs"
        columns={columns}
        rows={jobs.data?.items ?? []}
        rowKey={(j) => j.id}
        loading={jobs.loading}
        minWidth={1300}
        empty="No tape backup jobs. A job writes a datastore's snapshots to a media pool on a schedule."
      />
      {editing !== null && (
        <TapeJobModal
          job={editing === 'new' ? null : editing}
          digest={digest}
          stores={stores}
          pools={pools}
          drives={drives}
          create={props.create}
          update={props.update}
          onClose={closeEdit}
        />
      )}
      <ConfirmModal
        opened={removing !== null}
        onClose={closeRemove}
        title="Remove tape backup job"
        confirmLabel="Remove tape backup job"
        loading={props.remove.isPending}
        error={props.remove.error}
        onConfirm={() =>
          removing && props.remove.mutate({ id: removing.id, digest }, { onSuccess: closeRemove })
        }
      >
        {`Remove the tape backup job '${removing?.id ?? ''}'? Media sets already written are not touched.`}
      </ConfirmModal>
    </Stack>
  );
}
