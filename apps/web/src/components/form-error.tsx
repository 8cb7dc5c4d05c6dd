import { Alert, Button, Group, Text } from '@mantine/core';
import { describeError, toAppError } from '../lib/errors';

export interface FormErrorProps {
  error: unknown;
  /** reloads the data the form was based on (offered for STALE_REVISION) */
  onReload?: () => void;
}

/** A form's error that belongs to no single field; a stale revision offers to reload. */
export function FormError({ error, onReload }: FormErrorProps) {
  const app = toAppError(error);
  const stale = app.code === 'STALE_REVISION';
  return (
    <Alert color={stale ? 'yellow' : 'red'} role="alert" title={describeError(app.code)}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm" style={{ wordBreak: 'break-word' }}>
          {stale ? 'The configuration was changed by someone else after you opened it.' : app.message}
        </Text>
        {stale && onReload && (
          <Button size="xs" variant="light" color="yellow" onClick={onReload} style={{ flexShrink: 0 }}>
            Reload
          </Button>
        )}
      </Group>
    </Alert>
  );
}
