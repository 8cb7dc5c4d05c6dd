import { Badge, Tooltip } from '@mantine/core';
import type { MaintenanceMode } from '@pbs/api-types';
import { MAINTENANCE_COLORS } from './task-state-colors';

/** A datastore in maintenance (read-only, offline, being deleted, …), with its message. */
export function MaintenanceBadge({ mode }: { mode: MaintenanceMode | undefined }) {
  if (mode === undefined) return null;
  const badge = (
    <Badge color={MAINTENANCE_COLORS[mode.type]} variant="light">
      {mode.type === 'delete' ? 'being removed' : `maintenance: ${mode.type}`}
    </Badge>
  );
  if (mode.message === undefined || mode.message === '') return badge;
  return (
    <Tooltip label={mode.message} withArrow>
      {badge}
    </Tooltip>
  );
}
