import { Anchor, Group, Text } from '@mantine/core';

export interface ProductTitleProps {
  product: string | undefined;
  version: string | undefined;
  /** the BETA link's target; null hides the link */
  bugTrackerUrl: string | null | undefined;
  /** in the header: below the 'xs' breakpoint only version and BETA remain */
  compact?: boolean;
}

/**
 * Product name and version, then (PBS 4.0 beta style) a plain BETA link to the bug tracker. On a
 * narrow header the name gives way; version and BETA stay.
 */
export function ProductTitle({ product, version, bugTrackerUrl, compact = false }: ProductTitleProps) {
  return (
    <Group gap="xs" wrap="nowrap" align="baseline" style={{ minWidth: 0, overflow: 'hidden' }}>
      <Text fw={700} size="lg" truncate style={{ minWidth: 0 }} visibleFrom={compact ? 'xs' : undefined}>
        {product ?? 'Backup Server'}
      </Text>
      {version !== undefined && (
        <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
          {version}
        </Text>
      )}
      {bugTrackerUrl != null && (
        <Anchor
          href={bugTrackerUrl}
          target="_blank"
          rel="noopener noreferrer"
          size="sm"
          fw={700}
          title="Beta software: report bugs to the bug tracker"
          style={{ flexShrink: 0 }}
        >
          BETA
        </Anchor>
      )}
    </Group>
  );
}
