import { Alert, Button, Group, Loader, Modal, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ErrorAlert } from '../../components/error-alert';
import { Fact } from '../../components/fact';
import { useTRPC } from '../../lib/trpc';

export interface TestConnectionModalProps {
  name: string;
  onClose: () => void;
}

/** Logs in to a saved remote and shows what answered (version, latency) or why it failed. */
export function TestConnectionModal({ name, onClose }: TestConnectionModalProps) {
  const trpc = useTRPC();
  const test = useMutation(trpc.remote.testConnection.mutationOptions({ meta: { handlesErrors: true } }));
  const { mutate } = test;
  useEffect(() => {
    mutate({ name });
  }, [mutate, name]);
  return (
    <Modal opened onClose={onClose} title={`Connection test of remote ${name}`} centered>
      <Stack>
        <div role="status" aria-label="Connection test result">
          {test.isPending && (
            <Group gap="xs">
              <Loader size="sm" aria-hidden />
              <Text size="sm">Connecting to {name}…</Text>
            </Group>
          )}
          {test.isError && <ErrorAlert error={test.error} title="Connection failed" />}
          {test.isSuccess && (
            <Alert color="green" icon={<IconCircleCheck />} title="Connection OK">
              <Stack gap="xs">
                <Text size="sm">{test.data.message}</Text>
                <SimpleGrid cols={3}>
                  <Fact label="Version">{test.data.version}</Fact>
                  <Fact label="Release">{test.data.release}</Fact>
                  <Fact label="Latency">{`${Math.round(test.data.latencyMs)} ms`}</Fact>
                </SimpleGrid>
              </Stack>
            </Alert>
          )}
        </div>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => mutate({ name })} disabled={test.isPending}>
            Test again
          </Button>
          <Button onClick={onClose}>Close</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
