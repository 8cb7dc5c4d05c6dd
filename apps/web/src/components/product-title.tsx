import { Anchor, Group, Text } from '@mantine/core';

export interface ProductTitleProps {
  product: string | undefined;
  version: string | undefined;
  /** the BETA link's target; null hides the link */
  bugTrackerUrl: string | null | undefined;
}

/** Product name and version, then (PBS 4.0 beta style) a plain BETA link to the bug tracker. */
export function ProductTitle({ product, version, bugTrackerUrl }: ProductTitleProps) {
  return (
    <Group gap="xs" wrap="nowrap" align="baseline" style={{ minWidth: 0 }}>
      <Text fw={700} size="lg" truncate>
        {product ?? 'Backup Server'}
      </Text>
      {version !== undefined && (
        <Text size="sm" c="dimmed" aria-label="Version">
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
        >
          BETA
        </Anchor>
      )}
    </Group>
  );
}
