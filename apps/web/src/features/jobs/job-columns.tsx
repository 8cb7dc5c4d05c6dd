/**
 * The columns and actions every job grid shares (PBS's JobGrid pattern): last run with its
 * state and task link, duration, next run; edit, remove, run now.
 */
import { Anchor, Badge, Group, Text, VisuallyHidden } from '@mantine/core';
import { IconEdit, IconPlayerPlay, IconTrash } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { JobStatus } from '@pbs/api-types';
import type { Column } from '../../components/data-table';
import { RowActions, type RowAction } from '../../components/row-actions';
import { StatusBadge } from '../../components/status-badge';
import { datastorePath } from '../../lib/datastore-paths';
import { formatDuration, formatEpoch } from '../../lib/format';
import { taskPath } from '../../lib/task-search';

export interface JobRow {
  id: string;
  store: string;
  status: JobStatus;
  disable?: boolean;
  comment?: string;
}

export function LastRun({ status, what }: { status: JobStatus; what: string }) {
  if (status.lastRunState === null) {
    return (
      <Text size="sm" c="dimmed">
        never
      </Text>
    );
  }
  const when = formatEpoch(status.lastRunEndtime ?? status.lastRunStarttime);
  return (
    <Group gap={6} wrap="nowrap">
      <StatusBadge state={status.lastRunState} />
      {status.lastRunUpid === null ? (
        <Text size="sm">{when}</Text>
      ) : (
        <Anchor
          component={Link}
          to={taskPath(status.lastRunUpid)}
          size="sm"
          aria-label={`Last task of ${what}`}
        >
          {when || 'running'}
        </Anchor>
      )}
    </Group>
  );
}

export function duration(status: JobStatus): string {
  if (status.lastRunStarttime === null || status.lastRunEndtime === null) return '';
  return formatDuration(status.lastRunEndtime - status.lastRunStarttime);
}

export function nextRun(status: JobStatus, disabled = false): string {
  if (disabled) return 'disabled';
  return status.nextRun === null ? 'not scheduled' : formatEpoch(status.nextRun);
}

export function storeColumn<T extends { store: string }>(): Column<T> {
  return {
    key: 'store',
    header: 'Datastore',
    render: (job) => (
      <Anchor component={Link} to={datastorePath(job.store)} size="sm">
        {job.store}
      </Anchor>
    ),
  };
}

export function statusColumns<T extends JobRow>(noun: string): Column<T>[] {
  return [
    {
      key: 'last',
      header: 'Last run',
      width: 230,
      render: (job) => <LastRun status={job.status} what={`${noun} ${job.id}`} />,
    },
    { key: 'duration', header: 'Duration', width: 90, render: (job) => duration(job.status) },
    {
      key: 'next',
      header: 'Next run',
      width: 170,
      render: (job) =>
        job.disable === true ? (
          <Badge color="gray" variant="light">
            disabled
          </Badge>
        ) : (
          nextRun(job.status)
        ),
    },
  ];
}

export interface JobActionHandlers<T> {
  /** whether the caller may change this job */
  mayChange: (job: T) => boolean;
  onEdit: (job: T) => void;
  onRemove: (job: T) => void;
  onRun: (job: T) => void;
}

export function actionsColumn<T extends JobRow>(noun: string, handlers: JobActionHandlers<T>): Column<T> {
  return {
    key: 'actions',
    header: <VisuallyHidden>Actions</VisuallyHidden>,
    width: 120,
    render: (job) => {
      if (!handlers.mayChange(job)) return null;
      const actions: RowAction[] = [
        {
          label: `Run ${noun} ${job.id} now`,
          icon: <IconPlayerPlay size={16} />,
          onClick: () => handlers.onRun(job),
        },
        {
          label: `Edit ${noun} ${job.id}`,
          icon: <IconEdit size={16} />,
          onClick: () => handlers.onEdit(job),
        },
        {
          label: `Remove ${noun} ${job.id}`,
          icon: <IconTrash size={16} />,
          color: 'red',
          onClick: () => handlers.onRemove(job),
        },
      ];
      return <RowActions actions={actions} />;
    },
  };
}
