import { Badge } from '@mantine/core';
import { parseMediaLocation, type MediaStatus } from '@pbs/api-types';

const STATUS_COLORS: Record<MediaStatus, string> = {
  writable: 'green',
  full: 'blue',
  unknown: 'gray',
  damaged: 'red',
  retired: 'dark',
};

export function MediaStatusBadge({ status, expired }: { status: MediaStatus; expired?: boolean }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light">
      {expired === true && status !== 'writable' ? `${status} (expired)` : status}
    </Badge>
  );
}

/** 'online-lib1' → 'online (lib1)', 'vault-safe' → 'vault safe', 'offline' → 'offline' */
export function formatLocation(location: string): string {
  const loc = parseMediaLocation(location);
  if (loc === undefined) return location;
  switch (loc.kind) {
    case 'offline':
      return 'offline';
    case 'online':
      return `online (${loc.changer})`;
    case 'vault':
      return `vault ${loc.vault}`;
  }
}
