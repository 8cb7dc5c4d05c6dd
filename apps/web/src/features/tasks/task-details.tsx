import { Code, Group, Table } from '@mantine/core';
import type { ReactNode } from 'react';
import type { TaskStatus } from '@pbs/api-types';
import { CopyAction } from '../../components/copy-action';
import { StatusBadge } from '../../components/status-badge';
import { formatDuration, formatEpoch } from '../../lib/format';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={140} scope="row">
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

/** The task's facts, as PBS's task viewer "Status" tab shows them. */
export function TaskDetails({ task, now }: { task: TaskStatus; now: number }) {
  const end = task.endtime ?? (task.state === 'running' ? now : undefined);
  return (
    <Table aria-label="Task details" variant="vertical" layout="fixed" withTableBorder>
      <Table.Tbody>
        <Row label="Status">
          <Group gap="xs" wrap="wrap">
            <StatusBadge state={task.state} status={task.status} />
            {task.status !== undefined && task.state !== 'ok' && <span>{task.status}</span>}
          </Group>
        </Row>
        <Row label="Type">{task.worker_type}</Row>
        {task.worker_id !== null && <Row label="ID">{task.worker_id}</Row>}
        <Row label="User">{task.user}</Row>
        <Row label="Node">{task.node}</Row>
        <Row label="Start time">{formatEpoch(task.starttime)}</Row>
        <Row label="End time">{task.endtime === undefined ? '—' : formatEpoch(task.endtime)}</Row>
        <Row label="Duration">{end === undefined ? '—' : formatDuration(end - task.starttime)}</Row>
        {task.warnings > 0 && <Row label="Warnings">{task.warnings}</Row>}
        <Row label="UPID">
          <Group gap={4} wrap="nowrap">
            <Code style={{ wordBreak: 'break-all' }}>{task.upid}</Code>
            <CopyAction value={task.upid} label="UPID" />
          </Group>
        </Row>
      </Table.Tbody>
    </Table>
  );
}
