import { Skeleton, Table, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type ReactNode } from 'react';

export interface Column<T> {
  key: string;
  header: ReactNode;
  /** CSS width of the column */
  width?: number | string;
  render: (row: T) => ReactNode;
}

export interface DataTableProps<T> {
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** accessible name of the table */
  label: string;
  loading?: boolean;
  /** what to show (and what to do) when there are no rows */
  empty: ReactNode;
  /** height of the scrolling body; rows beyond it are virtualised */
  maxHeight?: number | string;
  rowHeight?: number;
  minWidth?: number;
  /** rows drawn as selected (aria-current) */
  isCurrent?: (row: T) => boolean;
  /** told which rows are on screen, e.g. to fetch their page from the server */
  onVisibleRange?: (first: number, last: number) => void;
  /** scrolls this row into view whenever the value changes */
  scrollToIndex?: number | null;
}

const SKELETON_ROWS = 5;

/** A table whose rows are virtualised, so thousands of rows scroll smoothly. */
export function DataTable<T>(props: DataTableProps<T>) {
  const {
    columns,
    rows,
    rowKey,
    label,
    loading,
    empty,
    maxHeight = '70vh',
    rowHeight = 41,
    minWidth = 640,
    isCurrent,
    onVisibleRange,
    scrollToIndex,
  } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is the table's own state; nothing memoises around it
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length > 0 ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0;
  const first = items[0]?.index ?? -1;
  const last = items[items.length - 1]?.index ?? -1;

  useEffect(() => {
    if (onVisibleRange && first >= 0) onVisibleRange(first, last);
  }, [onVisibleRange, first, last]);

  useEffect(() => {
    if (scrollToIndex !== null && scrollToIndex !== undefined && scrollToIndex >= 0) {
      virtualizer.scrollToIndex(scrollToIndex, { align: 'center' });
    }
  }, [virtualizer, scrollToIndex]);

  let body: ReactNode;
  if (loading === true) {
    body = Array.from({ length: SKELETON_ROWS }, (_, i) => (
      <Table.Tr key={i}>
        {columns.map((col) => (
          <Table.Td key={col.key}>
            <Skeleton height={14} />
          </Table.Td>
        ))}
      </Table.Tr>
    ));
  } else if (rows.length === 0) {
    body = (
      <Table.Tr>
        <Table.Td colSpan={columns.length}>
          <Text c="dimmed" ta="center" py="md" component="div">
            {empty}
          </Text>
        </Table.Td>
      </Table.Tr>
    );
  } else {
    body = (
      <>
        {padTop > 0 && <tr aria-hidden style={{ height: padTop }} />}
        {items.map((item) => {
          const row = rows[item.index];
          if (row === undefined) return null;
          const current = isCurrent?.(row) === true;
          return (
            <Table.Tr
              key={rowKey(row)}
              data-index={item.index}
              ref={virtualizer.measureElement}
              aria-current={current ? 'true' : undefined}
              bg={current ? 'var(--mantine-primary-color-light)' : undefined}
            >
              {columns.map((col) => (
                <Table.Td key={col.key}>{col.render(row)}</Table.Td>
              ))}
            </Table.Tr>
          );
        })}
        {padBottom > 0 && <tr aria-hidden style={{ height: padBottom }} />}
      </>
    );
  }

  return (
    <div ref={scrollRef} style={{ maxHeight, overflow: 'auto' }}>
      <Table stickyHeader highlightOnHover miw={minWidth} aria-label={label} verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            {columns.map((col) => (
              <Table.Th key={col.key} style={{ width: col.width }}>
                {col.header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{body}</Table.Tbody>
      </Table>
    </div>
  );
}
