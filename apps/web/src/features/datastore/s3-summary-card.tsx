import { Anchor, Button, Card, Group, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import type { S3DatastoreStats } from '@pbs/api-types';
import { ByteSize } from '../../components/byte-size';
import { Fact } from '../../components/fact';
import { ErrorAlert } from '../../components/error-alert';
import { formatEpoch } from '../../lib/format';
import { taskPath } from '../../lib/task-search';
import { useTRPC } from '../../lib/trpc';
import { useSession } from '../../lib/use-session';

const METHODS = ['get', 'put', 'post', 'head', 'delete'] as const;

function money(value: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 2 }).format(
      value,
    );
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

/** An S3 datastore's request counters (as bars), traffic, and the estimated monthly cost. */
export function S3SummaryCard({ store, stats }: { store: string; stats: S3DatastoreStats }) {
  const { counters, cost } = stats;
  const trpc = useTRPC();
  const navigate = useNavigate();
  const session = useSession();
  const refresh = useMutation(
    trpc.datastore.s3Refresh.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: ({ taskId }) => void navigate(taskPath(taskId)),
    }),
  );
  const max = Math.max(1, ...METHODS.map((m) => counters[m]));
  return (
    <Card withBorder component="section" aria-label="S3 requests and cost">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            S3 requests and cost
          </Title>
          {session.can(`/datastore/${store}`, 'Datastore.Modify') && (
            <Button
              size="xs"
              variant="light"
              leftSection={<IconRefresh size={14} />}
              loading={refresh.isPending}
              onClick={() => refresh.mutate({ store })}
            >
              Refresh contents from S3 bucket
            </Button>
          )}
        </Group>
        {refresh.isError && <ErrorAlert error={refresh.error} title="Refresh failed" />}
        <Text size="sm" c="dimmed">
          Endpoint {stats.endpoint}, bucket {stats.bucket}; counted since {formatEpoch(stats.since)}.
        </Text>
        <Table aria-label="S3 requests by method" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={80}>Method</Table.Th>
              <Table.Th w={100} ta="right">
                Requests
              </Table.Th>
              <Table.Th>
                <span aria-hidden>Share</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {METHODS.map((m) => (
              <Table.Tr key={m}>
                <Table.Td>{m.toUpperCase()}</Table.Td>
                <Table.Td ta="right">{counters[m].toLocaleString()}</Table.Td>
                <Table.Td>
                  <Progress value={(counters[m] / max) * 100} aria-hidden size="sm" />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
          <Fact label="Uploaded">
            <ByteSize bytes={counters.uploaded} />
          </Fact>
          <Fact label="Downloaded">
            <ByteSize bytes={counters.downloaded} />
          </Fact>
        </SimpleGrid>
        <Title order={4} size="h5">
          Estimated monthly cost: {money(cost.total, cost.currency)}
        </Title>
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="xs">
          <Fact label="Storage">
            {money(cost.storage, cost.currency)} for <ByteSize bytes={cost.storedBytes} />
          </Fact>
          <Fact label="Requests">{money(cost.requests, cost.currency)}</Fact>
          <Fact label="Egress">{money(cost.egress, cost.currency)}</Fact>
        </SimpleGrid>
        <Group gap={4}>
          <Text size="xs" c="dimmed">
            {cost.storedBytesSource === 'gc'
              ? 'Stored bytes from the last garbage collection;'
              : 'Stored bytes estimated from the bytes uploaded (no garbage collection yet);'}{' '}
            requests and egress extrapolated from {cost.basisDays.toFixed(1)} day(s) to 30. Prices are set
            under
          </Text>
          <Anchor component={Link} to="/config/s3" size="xs">
            S3 Endpoints
          </Anchor>
        </Group>
      </Stack>
    </Card>
  );
}
