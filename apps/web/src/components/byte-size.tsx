import { Text, type TextProps } from '@mantine/core';
import { formatBytes } from '../lib/format';

export interface ByteSizeProps extends TextProps {
  bytes: number | undefined | null;
}

/** A byte count in binary units; the exact number is in the tooltip. */
export function ByteSize({ bytes, ...textProps }: ByteSizeProps) {
  return (
    <Text component="span" inherit title={bytes == null ? undefined : `${bytes} bytes`} {...textProps}>
      {formatBytes(bytes)}
    </Text>
  );
}
