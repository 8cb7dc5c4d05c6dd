import { ActionIcon, Anchor, Badge, Button, Group, Stack, Text, VisuallyHidden } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconPlus, IconRestore } from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { MediaContentEntry, MediaSetListEntry } from '@pbs/api-types';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { formatEpoch } from '../../lib/format';
import type { Loaded } from './handles';
import { tapeRestorePath } from './tape-paths';

export interface ContentViewProps {
  mediaSets: Loaded<MediaSetListEntry[]>;
  content: Loaded<MediaContentEntry[]>;
  mayRestore: boolean;
  /** a one-shot backup: the dialog, or undefined when the caller may not write tapes */
  newBackup?: (onClose: () => void) => ReactNode;
}

interface SnapshotOnTape {
  /** 'store:[ns/…/]type/id/time', the restore wizard's snapshot syntax */
  key: string;
  store: string;
  snapshot: string;
  backupTime: number;
  media: string[];
}

type Row =
  | { kind: 'set'; set: MediaSetListEntry; snapshots: SnapshotOnTape[] }
  | { kind: 'snapshot'; set: MediaSetListEntry; snapshot: SnapshotOnTape };

/** Groups the content entries (one per snapshot archive per medium) by media set and snapshot. */
export function snapshotsBySet(content: readonly MediaContentEntry[]): Map<string, SnapshotOnTape[]> {
  const sets = new Map<string, Map<string, SnapshotOnTape>>();
  for (const entry of content) {
    const snapshots = sets.get(entry.mediaSetUuid) ?? new Map<string, SnapshotOnTape>();
    sets.set(entry.mediaSetUuid, snapshots);
    const key = `${entry.store}:${entry.snapshot}`;
    const known = snapshots.get(key);
    if (known === undefined) {
      snapshots.set(key, {
        key,
        store: entry.store,
        snapshot: entry.snapshot,
        backupTime: entry.backupTime,
        media: [entry.labelText],
      });
    } else if (!known.media.includes(entry.labelText)) {
      known.media.push(entry.labelText);
    }
  }
  const out = new Map<string, SnapshotOnTape[]>();
  for (const [uuid, snapshots] of sets) {
    out.set(
      uuid,
      [...snapshots.values()].sort((a, b) => a.key.localeCompare(b.key) || a.backupTime - b.backupTime),
    );
  }
  return out;
}

/** Content: media sets (newest first) and, expanded, the snapshots they hold; restore from either. */
export function ContentView({ mediaSets, content, mayRestore, newBackup }: ContentViewProps) {
  const [backupOpen, setBackupOpen] = useState(false);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const bySet = useMemo(() => snapshotsBySet(content.data ?? []), [content.data]);
  const rows = useMemo(() => {
    const sets = [...(mediaSets.data ?? [])].sort((a, b) => b.mediaSetCtime - a.mediaSetCtime);
    const out: Row[] = [];
    for (const set of sets) {
      const snapshots = bySet.get(set.mediaSetUuid) ?? [];
      out.push({ kind: 'set', set, snapshots });
      if (open.has(set.mediaSetUuid))
        for (const snapshot of snapshots) out.push({ kind: 'snapshot', set, snapshot });
    }
    return out;
  }, [mediaSets.data, bySet, open]);
  const toggle = (uuid: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(uuid)) next.add(uuid);
      return next;
    });
  const columns: Column<Row>[] = [
    {
      key: 'name',
      header: 'Media set / snapshot',
      render: (row) =>
        row.kind === 'set' ? (
          <Group gap={4} wrap="nowrap">
            <ActionIcon
              variant="subtle"
              color="gray"
              size="sm"
              aria-expanded={open.has(row.set.mediaSetUuid)}
              aria-label={`${open.has(row.set.mediaSetUuid) ? 'Collapse' : 'Expand'} media set ${row.set.mediaSetName}`}
              onClick={() => toggle(row.set.mediaSetUuid)}
            >
              {open.has(row.set.mediaSetUuid) ? (
                <IconChevronDown size={16} />
              ) : (
                <IconChevronRight size={16} />
              )}
            </ActionIcon>
            <Text size="sm" fw={500}>
              {row.set.mediaSetName}
            </Text>
            <Badge variant="light" color="gray">
              {`${row.snapshots.length} snapshot${row.snapshots.length === 1 ? '' : 's'}`}
            </Badge>
          </Group>
        ) : (
          <Text size="sm" pl={36} style={{ wordBreak: 'break-all' }}>
            {`${row.snapshot.store}:${row.snapshot.snapshot}`}
          </Text>
        ),
    },
    { key: 'pool', header: 'Pool', width: 120, render: (row) => (row.kind === 'set' ? row.set.pool : '') },
    {
      key: 'media',
      header: 'Media',
      render: (row) =>
        row.kind === 'set' ? row.set.media.map((m) => m ?? '?').join(', ') : row.snapshot.media.join(', '),
    },
    {
      key: 'time',
      header: 'Created / backup time',
      width: 180,
      render: (row) => formatEpoch(row.kind === 'set' ? row.set.mediaSetCtime : row.snapshot.backupTime),
    },
    {
      key: 'actions',
      header: <VisuallyHidden>Actions</VisuallyHidden>,
      width: 60,
      render: (row) =>
        mayRestore ? (
          <ActionIcon
            component={Link}
            to={
              row.kind === 'set'
                ? tapeRestorePath(row.set.mediaSetUuid)
                : tapeRestorePath(row.set.mediaSetUuid, [row.snapshot.key])
            }
            variant="subtle"
            color="gray"
            aria-label={
              row.kind === 'set'
                ? `Restore media set ${row.set.mediaSetName}`
                : `Restore snapshot ${row.snapshot.key}`
            }
          >
            <IconRestore size={16} />
          </ActionIcon>
        ) : null,
    },
  ];
  const error = mediaSets.error ?? content.error;
  return (
    <Stack gap="sm" component="section" aria-label="Tape content">
      {newBackup !== undefined && (
        <Group justify="flex-end">
          <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setBackupOpen(true)}>
            New tape backup
          </Button>
        </Group>
      )}
      {backupOpen && newBackup?.(() => setBackupOpen(false))}
      {error != null && (
        <ErrorAlert
          error={error}
          onRetry={() => {
            mediaSets.retry();
            content.retry();
          }}
        />
      )}
      <DataTable
        label="Media sets"
        columns={columns}
        rows={rows}
        rowKey={(row) =>
          row.kind === 'set' ? row.set.mediaSetUuid : `${row.set.mediaSetUuid}/${row.snapshot.key}`
        }
        loading={mediaSets.loading || content.loading}
        minWidth={900}
        empty={
          <>
            No media sets yet. Run a tape backup job (
            <Anchor component={Link} to="/tape/jobs" size="sm">
              Backup Jobs
            </Anchor>
            ) to write one.
          </>
        }
      />
    </Stack>
  );
}
