import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { describeError, toAppError } from '../lib/errors';

export interface ErrorAlertProps {
  error: unknown;
  title?: string;
  /** offers a Retry button */
  onRetry?: () => void;
}

/** A failed query or action, inline: the server's message and its error code. */
export function ErrorAlert({ error, title, onRetry }: ErrorAlertProps) {
  const app = toAppError(error);
  return (
    <Alert color="red" icon={<IconAlertCircle />} title={title ?? describeError(app.code)} role="alert">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm" style={{ wordBreak: 'break-word' }}>
          {app.message}{' '}
          <Text span c="dimmed" size="xs">
            ({app.code})
          </Text>
        </Text>
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry} style={{ flexShrink: 0 }}>
            Retry
          </Button>
        )}
      </Group>
    </Alert>
  );
}
