import { Badge, Tooltip } from '@mantine/core';
import type { TaskState } from '@pbs/api-types';
import { TASK_STATE_COLORS, TASK_STATE_LABELS } from './task-state-colors';

export interface StatusBadgeProps {
  state: TaskState;
  /** PBS's status text ('OK', 'WARNINGS: 2', the error message): the tooltip */
  status?: string;
}

/** A task's state as a coloured badge; the full status text is in the tooltip. */
export function StatusBadge({ state, status }: StatusBadgeProps) {
  const label = state === 'warning' && status !== undefined ? status.toLowerCase() : TASK_STATE_LABELS[state];
  const badge = (
    <Badge color={TASK_STATE_COLORS[state]} variant="light">
      {label}
    </Badge>
  );
  if (status === undefined || state === 'ok' || state === 'warning') return badge;
  return (
    <Tooltip label={status} multiline maw={480} withArrow>
      {badge}
    </Tooltip>
  );
}
