import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { TaskSummary } from '@pbs/api-types';
import { DataTable, type Column } from '../../components/data-table';
import { StatusBadge } from '../../components/status-badge';
import { formatDuration, formatEpoch } from '../../lib/format';
import { taskPath } from '../../lib/task-search';

const COLUMNS: Column<TaskSummary>[] = [
  { key: 'start', header: 'Start time', width: 170, render: (t) => formatEpoch(t.starttime) },
  { key: 'end', header: 'End time', width: 170, render: (t) => formatEpoch(t.endtime) },
  {
    key: 'duration',
    header: 'Duration',
    width: 100,
    render: (t) => (t.endtime === undefined ? '' : formatDuration(t.endtime - t.starttime)),
  },
  {
    key: 'type',
    header: 'Type',
    render: (t) => (
      <Anchor component={Link} to={taskPath(t.upid)} fw={500}>
        {t.worker_type}
      </Anchor>
    ),
  },
  {
    key: 'id',
    header: 'ID',
    render: (t) => (
      <Text size="sm" truncate maw={260} title={t.worker_id ?? undefined}>
        {t.worker_id ?? ''}
      </Text>
    ),
  },
  { key: 'user', header: 'User', render: (t) => t.user },
  {
    key: 'status',
    header: 'Status',
    width: 150,
    render: (t) => <StatusBadge state={t.state} status={t.status} />,
  },
];

export interface TaskTableProps {
  tasks: readonly TaskSummary[];
  loading: boolean;
  /** what to tell the admin when nothing matches */
  empty: string;
}

/** Tasks as a virtualised table; each row's type links to the task page. */
export function TaskTable({ tasks, loading, empty }: TaskTableProps) {
  return (
    <DataTable
      label="Tasks"
      columns={COLUMNS}
      rows={tasks}
      rowKey={(t) => t.upid}
      loading={loading}
      empty={empty}
      minWidth={900}
    />
  );
}
