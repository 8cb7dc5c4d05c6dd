import { Box, Button, Text } from '@mantine/core';
import { IconArrowDown } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { TaskLogLine } from '@pbs/api-types';

const LINE_HEIGHT = 20;
/** how close to the bottom still counts as "at the bottom" */
const STICKY_SLACK = 2 * LINE_HEIGHT;

export interface TaskLogViewProps {
  lines: readonly TaskLogLine[];
  /** keep the newest line in view while the user has not scrolled up */
  follow: boolean;
  empty: string;
}

/** A task log: monospace, virtualised (logs can be long), auto-scrolling while it follows. */
export function TaskLogView({ lines, follow, empty }: TaskLogViewProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [atBottom, setAtBottom] = useState(true);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is this view's own state; nothing memoises around it
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LINE_HEIGHT,
    overscan: 30,
  });

  useEffect(() => {
    if (follow && atBottom && lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [follow, atBottom, lines.length, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length > 0 ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0;

  return (
    <Box pos="relative">
      <Box
        ref={scrollRef}
        role="log"
        aria-label="Task log"
        tabIndex={0}
        onScroll={(event) => {
          const el = event.currentTarget;
          setAtBottom(el.scrollHeight - el.scrollTop - el.clientHeight <= STICKY_SLACK);
        }}
        h="60vh"
        mih={240}
        p="xs"
        style={{
          overflow: 'auto',
          fontFamily: 'var(--mantine-font-family-monospace)',
          fontSize: 'var(--mantine-font-size-xs)',
          background: 'var(--mantine-color-default-hover)',
          borderRadius: 'var(--mantine-radius-sm)',
        }}
      >
        {lines.length === 0 ? (
          <Text c="dimmed" size="sm">
            {empty}
          </Text>
        ) : (
          <div style={{ width: 'max-content', minWidth: '100%' }}>
            {padTop > 0 && <div aria-hidden style={{ height: padTop }} />}
            {items.map((item) => {
              const line = lines[item.index];
              return line === undefined ? null : (
                <div
                  key={line.n}
                  style={{ height: LINE_HEIGHT, lineHeight: `${LINE_HEIGHT}px`, whiteSpace: 'pre' }}
                >
                  {line.t}
                </div>
              );
            })}
            {padBottom > 0 && <div aria-hidden style={{ height: padBottom }} />}
          </div>
        )}
      </Box>
      {follow && !atBottom && (
        <Button
          size="xs"
          pos="absolute"
          bottom={12}
          right={24}
          leftSection={<IconArrowDown size={14} />}
          onClick={() => {
            setAtBottom(true);
            virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
          }}
        >
          Follow log
        </Button>
      )}
    </Box>
  );
}
