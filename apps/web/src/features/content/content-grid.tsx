import {
  ActionIcon,
  Anchor,
  Badge,
  Box,
  Checkbox,
  Group,
  Skeleton,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconFile, IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { SnapshotItem } from '@pbs/api-types';
import { ByteSize } from '../../components/byte-size';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { CRYPT_MODE_COLORS, VERIFY_STATE_COLORS } from '../../components/task-state-colors';
import {
  browsePath,
  contentPath,
  groupKey,
  isBrowsableArchive,
  snapshotName,
} from '../../lib/datastore-paths';
import { formatEpoch } from '../../lib/format';
import { taskPath } from '../../lib/task-search';
import { snapshotKey, type ContentRow } from './content-rows';
import { RowMenu, type MenuAction } from './row-menu';

const CRYPT_LABELS: Record<SnapshotItem['cryptMode'], string> = {
  none: 'no',
  'sign-only': 'signed',
  encrypt: 'encrypted',
  mixed: 'mixed',
};

export function CryptBadge({ mode }: { mode: SnapshotItem['cryptMode'] | undefined }) {
  if (mode === undefined) return null;
  return (
    <Badge color={CRYPT_MODE_COLORS[mode]} variant="light">
      {CRYPT_LABELS[mode]}
    </Badge>
  );
}

export function VerifyBadge({ verification }: { verification: SnapshotItem['verification'] }) {
  if (verification === undefined) {
    return (
      <Badge color={VERIFY_STATE_COLORS.none} variant="light">
        none
      </Badge>
    );
  }
  return (
    <Anchor
      component={Link}
      to={taskPath(verification.upid)}
      aria-label={`Verify task: ${verification.state}`}
    >
      <Badge color={VERIFY_STATE_COLORS[verification.state]} variant="light" style={{ cursor: 'pointer' }}>
        {verification.state}
      </Badge>
    </Anchor>
  );
}

function Indent({ depth, children }: { depth: number; children: ReactNode }) {
  return (
    <Group gap={4} wrap="nowrap" pl={depth * 20}>
      {children}
    </Group>
  );
}

function Toggle({ open, label, onClick }: { open: boolean; label: string; onClick: () => void }) {
  return (
    <ActionIcon
      variant="subtle"
      color="gray"
      size="sm"
      aria-label={label}
      aria-expanded={open}
      onClick={onClick}
    >
      {open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
    </ActionIcon>
  );
}

export interface ContentGridProps {
  store: string;
  ns: string;
  /** the filter, kept in snapshot links */
  q: string;
  rows: ContentRow[];
  loading: boolean;
  empty: ReactNode;
  /** search mode: snapshot rows name their group */
  flat: boolean;
  currentGroup: string | null;
  currentSnapshot: string | null;
  selected: ReadonlyMap<string, SnapshotItem>;
  onSelect: (snapshot: SnapshotItem, selected: boolean) => void;
  onToggleGroup: (key: string) => void;
  onToggleSnapshot: (key: string) => void;
  actions: (row: ContentRow) => MenuAction[];
  onVisibleRange: (first: number, last: number) => void;
  scrollToIndex: number | null;
}

/** Groups, snapshots and archives as one virtualised tree table. */
export function ContentGrid(props: ContentGridProps) {
  const { store, ns, q, rows, loading, empty, flat, currentGroup, currentSnapshot, selected } = props;
  const { onSelect, onToggleGroup, onToggleSnapshot, actions, onVisibleRange, scrollToIndex } = props;

  const nameCell = (row: ContentRow): ReactNode => {
    switch (row.kind) {
      case 'group': {
        const key = groupKey(row.group);
        return (
          <Indent depth={0}>
            <Toggle
              open={row.expanded}
              label={`${row.expanded ? 'Collapse' : 'Expand'} group ${key}`}
              onClick={() => onToggleGroup(key)}
            />
            <Anchor component={Link} to={contentPath(store, { ns, group: row.group })} fw={600} size="sm">
              {key}
            </Anchor>
          </Indent>
        );
      }
      case 'snapshot': {
        const s = row.snapshot;
        if (s === undefined) {
          return (
            <Indent depth={row.depth}>
              <Box w={22} />
              <Skeleton h={12} w={220} aria-label="Loading snapshot" />
            </Indent>
          );
        }
        const name = snapshotName(s);
        return (
          <Indent depth={row.depth}>
            <Toggle
              open={row.expanded}
              label={`${row.expanded ? 'Hide' : 'Show'} archives of ${name}`}
              onClick={() => onToggleSnapshot(snapshotKey(s))}
            />
            <Anchor
              component={Link}
              to={contentPath(store, { ns, group: { type: s.type, id: s.id }, snapshot: s.time, q })}
              size="sm"
              style={{ whiteSpace: 'nowrap' }}
            >
              {flat ? name : name.slice(groupKey(s).length + 1)}
            </Anchor>
            {s.protected && (
              <Tooltip label="Protected: prune and forget leave it alone" withArrow>
                <IconLock size={14} aria-label="protected" />
              </Tooltip>
            )}
          </Indent>
        );
      }
      case 'archive':
        return (
          <Indent depth={row.depth}>
            <Box w={22} />
            <IconFile size={14} aria-hidden />
            {isBrowsableArchive(row.file.filename) && row.file.cryptMode !== 'encrypt' ? (
              <Anchor
                component={Link}
                to={browsePath(store, {
                  ns,
                  snapshot: { type: row.snapshot.type, id: row.snapshot.id, time: row.snapshot.time },
                  path: row.file.filename,
                })}
                size="sm"
                ff="monospace"
                title="Browse the files of this archive"
              >
                {row.file.filename}
              </Anchor>
            ) : (
              <Text size="sm" ff="monospace">
                {row.file.filename}
              </Text>
            )}
          </Indent>
        );
      case 'message':
        return (
          <Indent depth={row.depth}>
            <Box w={22} />
            {row.error === undefined ? (
              <Text size="sm" c="dimmed">
                {row.text}
              </Text>
            ) : (
              <ErrorAlert error={row.error} title={row.text} />
            )}
          </Indent>
        );
    }
  };

  const columns: Column<ContentRow>[] = [
    {
      key: 'select',
      header: <VisuallyHidden>Select</VisuallyHidden>,
      width: 40,
      render: (row) =>
        row.kind === 'snapshot' &&
        row.snapshot !== undefined && (
          <Checkbox
            aria-label={`Select snapshot ${snapshotName(row.snapshot)}`}
            checked={selected.has(snapshotKey(row.snapshot))}
            onChange={(e) => row.snapshot && onSelect(row.snapshot, e.currentTarget.checked)}
          />
        ),
    },
    { key: 'name', header: 'Name', render: nameCell },
    {
      key: 'actions',
      header: <VisuallyHidden>Actions</VisuallyHidden>,
      width: 56,
      render: (row) => {
        if (row.kind === 'group')
          return <RowMenu label={`Actions for group ${groupKey(row.group)}`} actions={actions(row)} />;
        if (row.kind === 'snapshot' && row.snapshot !== undefined) {
          return (
            <RowMenu label={`Actions for snapshot ${snapshotName(row.snapshot)}`} actions={actions(row)} />
          );
        }
        if (row.kind === 'archive') {
          return (
            <RowMenu
              label={`Actions for archive ${snapshotName(row.snapshot)}/${row.file.filename}`}
              actions={actions(row)}
            />
          );
        }
        return null;
      },
    },
    {
      key: 'time',
      header: 'Backup time',
      width: 170,
      render: (row) => {
        if (row.kind === 'group') return formatEpoch(row.group.lastBackup);
        if (row.kind === 'snapshot') return formatEpoch(row.snapshot?.time);
        return null;
      },
    },
    {
      key: 'size',
      header: 'Size',
      width: 100,
      render: (row) => {
        if (row.kind === 'snapshot') return <ByteSize bytes={row.snapshot?.size} />;
        if (row.kind === 'archive') return <ByteSize bytes={row.file.size} />;
        return null;
      },
    },
    {
      key: 'count',
      header: 'Count',
      width: 70,
      render: (row) =>
        row.kind === 'group'
          ? row.group.backupCount
          : row.kind === 'snapshot'
            ? row.snapshot?.files.length
            : null,
    },
    {
      key: 'owner',
      header: 'Owner',
      width: 160,
      render: (row) =>
        row.kind === 'group' ? row.group.owner : row.kind === 'snapshot' ? row.snapshot?.owner : null,
    },
    {
      key: 'crypt',
      header: 'Encrypted',
      width: 110,
      render: (row) => {
        if (row.kind === 'snapshot') return <CryptBadge mode={row.snapshot?.cryptMode} />;
        if (row.kind === 'archive') return <CryptBadge mode={row.file.cryptMode} />;
        return null;
      },
    },
    {
      key: 'verify',
      header: 'Verify state',
      width: 110,
      render: (row) =>
        row.kind === 'snapshot' && row.snapshot !== undefined ? (
          <VerifyBadge verification={row.snapshot.verification} />
        ) : null,
    },
    {
      key: 'comment',
      header: 'Comment',
      render: (row) => {
        const text =
          row.kind === 'group'
            ? row.group.comment
            : row.kind === 'snapshot'
              ? row.snapshot?.comment
              : undefined;
        return text === undefined ? null : (
          <Text size="sm" truncate maw={260} title={text}>
            {text}
          </Text>
        );
      },
    },
  ];

  return (
    <DataTable
      label="Backup content"
      columns={columns}
      rows={rows}
      rowKey={(row) => row.key}
      loading={loading}
      empty={empty}
      minWidth={1100}
      maxHeight="calc(100vh - 300px)"
      onVisibleRange={onVisibleRange}
      scrollToIndex={scrollToIndex}
      isCurrent={(row) =>
        (row.kind === 'group' && currentSnapshot === null && groupKey(row.group) === currentGroup) ||
        (row.kind === 'snapshot' &&
          row.snapshot !== undefined &&
          snapshotKey(row.snapshot) === currentSnapshot)
      }
    />
  );
}
