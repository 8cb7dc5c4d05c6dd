/**
 * The sync-job grid's columns: where data comes from and goes to, which groups, when it runs,
 * and how the last run went (its task page one click away).
 */
import { Anchor, Badge, Code, Stack, Text, VisuallyHidden } from '@mantine/core';
import { IconEdit, IconPlayerPlay, IconTrash } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { JobStatus, SyncJob } from '@pbs/api-types';
import type { Column } from '../../components/data-table';
import { RowActions, type RowAction } from '../../components/row-actions';
import { StatusBadge } from '../../components/status-badge';
import { datastorePath } from '../../lib/datastore-paths';
import { formatDuration, formatEpoch } from '../../lib/format';
import { taskPath } from '../../lib/task-search';

export const directionOf = (job: SyncJob) => job.syncDirection ?? 'pull';

function LastRun({ status, jobId }: { status: JobStatus; jobId: string }) {
  if (status.lastRunState === null) {
    return (
      <Text size="sm" c="dimmed">
        never
      </Text>
    );
  }
  const when = formatEpoch(status.lastRunEndtime ?? status.lastRunStarttime);
  return (
    <Stack gap={2} align="flex-start">
      <StatusBadge state={status.lastRunState} />
      {status.lastRunUpid === null ? (
        <Text size="sm">{when}</Text>
      ) : (
        <Anchor
          component={Link}
          to={taskPath(status.lastRunUpid)}
          size="sm"
          aria-label={`Last task of sync job ${jobId}`}
        >
          {when || 'running'}
        </Anchor>
      )}
    </Stack>
  );
}

function duration(status: JobStatus): string {
  if (status.lastRunStarttime === null || status.lastRunEndtime === null) return '';
  return formatDuration(status.lastRunEndtime - status.lastRunStarttime);
}

const nsText = (ns: string | undefined) => (ns === undefined || ns === '' ? 'root' : ns);

function Filters({ filters }: { filters: string[] | undefined }) {
  if (filters === undefined || filters.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        all
      </Text>
    );
  }
  return (
    <Stack gap={2}>
      {filters.map((f) => (
        <Code key={f} style={{ fontSize: 11 }}>
          {f}
        </Code>
      ))}
    </Stack>
  );
}

export interface SyncJobHandlers {
  mayChange: (job: SyncJob) => boolean;
  onRun: (job: SyncJob) => void;
  onEdit: (job: SyncJob) => void;
  onRemove: (job: SyncJob) => void;
}

export function syncJobColumns(showStore: boolean, handlers: SyncJobHandlers): Column<SyncJob>[] {
  const columns: Column<SyncJob>[] = [
    { key: 'id', header: 'Job ID', render: (job) => job.id },
    {
      key: 'direction',
      header: 'Direction',
      width: 90,
      render: (job) => (
        <Badge variant="light" color={directionOf(job) === 'pull' ? 'blue' : 'grape'}>
          {directionOf(job)}
        </Badge>
      ),
    },
  ];
  if (showStore) {
    columns.push({
      key: 'store',
      header: 'Datastore',
      render: (job) => (
        <Anchor component={Link} to={datastorePath(job.store, 'sync')} size="sm">
          {job.store}
        </Anchor>
      ),
    });
  }
  columns.push(
    { key: 'ns', header: 'Local namespace', render: (job) => nsText(job.ns) },
    {
      key: 'remote',
      header: 'Remote store',
      render: (job) => (
        <Text size="sm" span>
          {job.remote === undefined ? (
            <Text size="sm" c="dimmed" span>
              local:
            </Text>
          ) : (
            `${job.remote}:`
          )}
          {job.remoteStore}
        </Text>
      ),
    },
    { key: 'remoteNs', header: 'Remote namespace', render: (job) => nsText(job.remoteNs) },
    { key: 'depth', header: 'Max. depth', width: 90, render: (job) => job.maxDepth ?? 'full' },
    { key: 'groups', header: 'Group filter', render: (job) => <Filters filters={job.groupFilter} /> },
    { key: 'schedule', header: 'Schedule', render: (job) => job.schedule ?? 'none' },
    {
      key: 'last',
      header: 'Last sync',
      width: 170,
      render: (job) => <LastRun status={job.status} jobId={job.id} />,
    },
    { key: 'duration', header: 'Duration', width: 90, render: (job) => duration(job.status) },
    {
      key: 'next',
      header: 'Next run',
      width: 170,
      render: (job) => (job.status.nextRun === null ? 'not scheduled' : formatEpoch(job.status.nextRun)),
    },
    { key: 'comment', header: 'Comment', render: (job) => job.comment ?? '' },
    {
      key: 'actions',
      header: <VisuallyHidden>Actions</VisuallyHidden>,
      width: 120,
      render: (job) => {
        if (!handlers.mayChange(job)) return null;
        const actions: RowAction[] = [
          {
            label: `Run sync job ${job.id} now`,
            icon: <IconPlayerPlay size={16} />,
            onClick: () => handlers.onRun(job),
          },
          {
            label: `Edit sync job ${job.id}`,
            icon: <IconEdit size={16} />,
            onClick: () => handlers.onEdit(job),
          },
          {
            label: `Remove sync job ${job.id}`,
            icon: <IconTrash size={16} />,
            color: 'red',
            onClick: () => handlers.onRemove(job),
          },
        ];
        return <RowActions actions={actions} />;
      },
    },
  );
  return columns;
}
