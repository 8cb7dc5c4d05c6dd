import { Anchor, Badge, Button, Drawer, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { FileVersion, SnapshotRef } from '@pbs/api-types';
import { ByteSize } from '../../components/byte-size';
import { ErrorAlert } from '../../components/error-alert';
import { backupTimeText, browsePath } from '../../lib/datastore-paths';
import { pxarDownloadUrl } from '../../lib/downloads';
import { formatEpoch } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { TYPE_LABELS, innerPath, parentOf } from './entry-types';

const FIRST_LIMIT = 50;
const MAX_LIMIT = 500;

export interface VersionsDrawerProps {
  store: string;
  ns: string;
  /** the snapshot being browsed (its version is marked) */
  snapshot: SnapshotRef;
  /** '<archive>/<path>' */
  path: string;
  onClose: () => void;
}

/** The change against the next older version: new, changed (size or mtime) or the same. */
function changeOf(version: FileVersion, older: FileVersion | undefined): 'new' | 'changed' | 'same' {
  if (older === undefined) return 'new';
  return older.type !== version.type || older.size !== version.size || older.mtime !== version.mtime
    ? 'changed'
    : 'same';
}

const CHANGE_COLORS = { new: 'blue', changed: 'orange', same: 'gray' } as const;

/**
 * Beyond PBS: the versions of one file (or folder) across the snapshots of its group, newest
 * first, each with its own download and a link to browse that snapshot there.
 */
export function VersionsDrawer({ store, ns, snapshot, path, onClose }: VersionsDrawerProps) {
  const trpc = useTRPC();
  const [limit, setLimit] = useState(FIRST_LIMIT);
  const group = { type: snapshot.type, id: snapshot.id };
  const shown = innerPath(path);
  const query = useQuery(
    trpc.browse.versions.queryOptions(
      { store, ns, group, path, limit },
      { placeholderData: (previous) => previous },
    ),
  );
  const versions = query.data?.versions ?? [];
  const searched = query.data?.searched ?? 0;
  const more = query.data !== undefined && searched >= limit && limit < MAX_LIMIT;

  return (
    <Drawer
      opened
      onClose={onClose}
      position="right"
      size="xl"
      title={`Versions of ${shown}`}
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Stack>
        <Text size="sm" c="dimmed">
          Every snapshot of {group.type}/{group.id} that holds {shown}, newest first. “Changed” compares size
          and modification time with the next older version.
        </Text>
        {query.isPending && <Loader aria-label="Searching the snapshots" />}
        {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
        {query.data !== undefined && (
          <>
            <Text size="sm" aria-live="polite">
              {versions.length === 0
                ? `Not found in the ${searched} newest snapshots.`
                : `${versions.length} version${versions.length === 1 ? '' : 's'} in the ${searched} newest snapshots.`}
            </Text>
            {versions.length > 0 && (
              <Table aria-label="Versions" verticalSpacing="xs" highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Snapshot</Table.Th>
                    <Table.Th>Modified</Table.Th>
                    <Table.Th>Size</Table.Th>
                    <Table.Th>Change</Table.Th>
                    <Table.Th>Download</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {versions.map((version, i) => {
                    const at = { ...group, time: version.time };
                    const current = version.time === snapshot.time;
                    const change = changeOf(version, versions[i + 1]);
                    const label = backupTimeText(version.time);
                    return (
                      <Table.Tr
                        key={version.time}
                        aria-current={current ? 'true' : undefined}
                        bg={current ? 'var(--mantine-primary-color-light)' : undefined}
                      >
                        <Table.Td>
                          <Anchor
                            component={Link}
                            to={browsePath(store, { ns, snapshot: at, path: parentOf(path) })}
                            size="sm"
                            title={`Browse snapshot ${group.type}/${group.id}/${label} here`}
                          >
                            {formatEpoch(version.time)}
                          </Anchor>
                          {current && (
                            <Text span size="xs" c="dimmed">
                              {' '}
                              (this one)
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>{formatEpoch(version.mtime)}</Table.Td>
                        <Table.Td>
                          {version.type === 'f' ? (
                            <ByteSize bytes={version.size} />
                          ) : (
                            TYPE_LABELS[version.type]
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Badge variant="light" color={CHANGE_COLORS[change]}>
                            {change}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          <Button
                            component="a"
                            href={pxarDownloadUrl(store, ns, at, [path])}
                            download
                            size="compact-xs"
                            variant="subtle"
                            leftSection={<IconDownload size={14} />}
                            aria-label={`Download the version of ${label}`}
                          >
                            {version.type === 'f' ? 'Download' : '.zip'}
                          </Button>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            )}
            {more && (
              <Group>
                <Button
                  size="xs"
                  variant="default"
                  loading={query.isFetching}
                  onClick={() => setLimit((l) => Math.min(MAX_LIMIT, l * 4))}
                >
                  Look further back
                </Button>
              </Group>
            )}
          </>
        )}
      </Stack>
    </Drawer>
  );
}
