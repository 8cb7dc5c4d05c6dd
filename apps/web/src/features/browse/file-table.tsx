import {
  ActionIcon,
  Anchor,
  Badge,
  Box,
  Checkbox,
  Group,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconHistory } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ByteSize } from '../../components/byte-size';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import type { PackFormat } from '../../lib/downloads';
import { formatEpoch } from '../../lib/format';
import type { BrowseRow } from './browse-rows';
import { DownloadAction } from './download-action';
import { EntryIcon, TYPE_LABELS, innerPath } from './entry-types';
import type { Basket } from './use-basket';

export interface FileTableProps {
  rows: BrowseRow[];
  loading: boolean;
  /** the snapshot's archive list (path ''), not a folder inside one */
  archives: boolean;
  /** archives the server cannot read (encrypted): no downloads */
  encrypted: ReadonlySet<string>;
  basket: Basket;
  /** the link that opens a folder (or an archive) */
  folderLink: (path: string) => string;
  onToggle: (path: string) => void;
  /** one file as itself (null for anything that is packed) */
  fileUrl: (path: string) => string | null;
  packedUrl: (path: string, format: PackFormat) => string;
  versionsLink: (path: string) => string;
  /** why the basket cannot take entries of this archive, or null */
  basketRefusal: (path: string) => string | null;
}

function Indent({ depth, children }: { depth: number; children: ReactNode }) {
  return (
    <Group gap={4} wrap="nowrap" pl={depth * 20}>
      {children}
    </Group>
  );
}

/** A folder of a snapshot (or its archive list), with lazily expanded subfolders. */
export function FileTable(props: FileTableProps) {
  const { rows, loading, archives, encrypted, basket, folderLink, onToggle, fileUrl, packedUrl } = props;
  const { versionsLink, basketRefusal } = props;

  const nameCell = (row: BrowseRow): ReactNode => {
    if (row.kind === 'message') {
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
    const { entry } = row;
    const shown = innerPath(entry.path);
    return (
      <Indent depth={row.depth}>
        {entry.type === 'd' && !archives ? (
          <ActionIcon
            variant="subtle"
            color="gray"
            size="sm"
            aria-label={`${row.expanded ? 'Collapse' : 'Expand'} ${shown}`}
            aria-expanded={row.expanded}
            onClick={() => onToggle(entry.path)}
          >
            {row.expanded ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
          </ActionIcon>
        ) : (
          <Box w={22} />
        )}
        <EntryIcon type={entry.type} archive={archives} />
        {entry.type === 'd' ? (
          <Anchor component={Link} to={folderLink(entry.path)} size="sm" style={{ whiteSpace: 'nowrap' }}>
            {entry.name}
          </Anchor>
        ) : (
          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
            {entry.name}
          </Text>
        )}
      </Indent>
    );
  };

  const columns: Column<BrowseRow>[] = [
    {
      key: 'select',
      header: <VisuallyHidden>In the basket</VisuallyHidden>,
      width: 40,
      render: (row) => {
        if (row.kind !== 'entry' || archives) return null;
        const { entry } = row;
        const shown = innerPath(entry.path);
        const refusal = basketRefusal(entry.path);
        const cover = basket.coveredBy(entry.path);
        const box = (
          <Checkbox
            aria-label={`Basket: ${shown}`}
            checked={basket.has(entry.path) || cover !== null}
            disabled={refusal !== null || cover !== null}
            onChange={(e) => {
              if (e.currentTarget.checked)
                basket.add({
                  path: entry.path,
                  type: entry.type,
                  ...(entry.size !== undefined && { size: entry.size }),
                });
              else basket.remove(entry.path);
            }}
          />
        );
        const why = refusal ?? (cover === null ? null : `In the basket with ${innerPath(cover)}`);
        return why === null ? (
          box
        ) : (
          <Tooltip label={why} withArrow>
            <span>{box}</span>
          </Tooltip>
        );
      },
    },
    { key: 'name', header: 'Name', render: nameCell },
    {
      key: 'actions',
      header: <VisuallyHidden>Actions</VisuallyHidden>,
      width: 80,
      render: (row) => {
        if (row.kind !== 'entry') return null;
        const { entry } = row;
        const shown = innerPath(entry.path);
        if (archives && encrypted.has(entry.path)) return null;
        return (
          <Group gap={2} wrap="nowrap">
            <DownloadAction
              label={`Download ${shown}`}
              single={entry.type === 'f' ? fileUrl(entry.path) : null}
              packed={(format) => packedUrl(entry.path, format)}
            />
            {!archives && (
              <Tooltip label="Show versions in other snapshots" withArrow openDelay={400}>
                <ActionIcon
                  component={Link}
                  to={versionsLink(entry.path)}
                  variant="subtle"
                  color="gray"
                  aria-label={`Show versions of ${shown}`}
                >
                  <IconHistory size={16} />
                </ActionIcon>
              </Tooltip>
            )}
          </Group>
        );
      },
    },
    {
      key: 'type',
      header: 'Type',
      width: 130,
      render: (row) => {
        if (row.kind !== 'entry') return null;
        if (!archives) return TYPE_LABELS[row.entry.type];
        return encrypted.has(row.entry.path) ? (
          <Badge variant="light" color="orange">
            encrypted
          </Badge>
        ) : (
          'pxar archive'
        );
      },
    },
    {
      key: 'size',
      header: 'Size',
      width: 100,
      render: (row) => (row.kind === 'entry' ? <ByteSize bytes={row.entry.size} /> : null),
    },
    {
      key: 'mtime',
      header: 'Modified',
      width: 170,
      render: (row) => (row.kind === 'entry' ? formatEpoch(row.entry.mtime) : null),
    },
  ];

  return (
    <DataTable
      label={archives ? 'Archives' : 'Files'}
      columns={columns}
      rows={rows}
      rowKey={(row) => row.key}
      loading={loading}
      empty={archives ? 'This snapshot has no pxar archives to browse.' : 'This folder is empty.'}
      minWidth={760}
      maxHeight="calc(100vh - 320px)"
    />
  );
}
