import {
  Anchor,
  Card,
  Group,
  RingProgress,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { DatastoreStatus } from '@pbs/api-types';
import { ByteSize } from '../../components/byte-size';
import { ErrorAlert } from '../../components/error-alert';
import { Fact } from '../../components/fact';
import { usageColor } from '../../components/task-state-colors';
import { UsageChart } from '../../components/usage-chart';
import { formatDedup, formatEstimatedFull, formatPercent } from '../../lib/format';
import { taskPath } from '../../lib/task-search';
import { useTRPC } from '../../lib/trpc';
import { ConnectionInfo } from './connection-info';
import { S3SummaryCard } from './s3-summary-card';

function UsageCard({
  status,
  estimatedFull,
}: {
  status: DatastoreStatus;
  estimatedFull: number | null | undefined;
}) {
  const fraction = status.total > 0 ? status.used / status.total : 0;
  return (
    <Card withBorder component="section" aria-label="Usage">
      <Stack gap="sm">
        <Title order={3} size="h4">
          Usage
        </Title>
        <Group wrap="nowrap" align="center">
          <RingProgress
            size={120}
            thickness={12}
            roundCaps
            sections={[{ value: fraction * 100, color: usageColor(fraction) }]}
            label={
              <Text ta="center" fw={700} size="lg">
                {formatPercent(fraction, 0)}
              </Text>
            }
            aria-label={`Datastore usage ${formatPercent(fraction)}`}
            role="img"
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs" style={{ flex: 1 }}>
            <Fact label="Used">
              <ByteSize bytes={status.used} />
            </Fact>
            <Fact label="Available">
              <ByteSize bytes={status.avail} />
            </Fact>
            <Fact label="Total">
              <ByteSize bytes={status.total} />
            </Fact>
            <Fact label="Estimated full">{formatEstimatedFull(estimatedFull)}</Fact>
            <Fact label="Deduplication factor">{formatDedup(status.dedupFactor)}</Fact>
            <Fact label="Backend">
              {status.backendType === 's3' ? 'S3 (usage shown is the local cache)' : 'local filesystem'}
            </Fact>
          </SimpleGrid>
        </Group>
      </Stack>
    </Card>
  );
}

function CountsCard({ status }: { status: DatastoreStatus }) {
  const rows = [
    { label: 'Virtual machines (vm)', counts: status.counts.vm },
    { label: 'Containers (ct)', counts: status.counts.ct },
    { label: 'Hosts (host)', counts: status.counts.host },
  ];
  return (
    <Card withBorder component="section" aria-label="Backup counts">
      <Stack gap="sm">
        <Title order={3} size="h4">
          Backups
        </Title>
        <Table aria-label="Backup counts by type">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Type</Table.Th>
              <Table.Th ta="right">Groups</Table.Th>
              <Table.Th ta="right">Snapshots</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.label}>
                <Table.Td>{row.label}</Table.Td>
                <Table.Td ta="right">{row.counts.groups}</Table.Td>
                <Table.Td ta="right">{row.counts.snapshots}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Card>
  );
}

function GcCard({ status }: { status: DatastoreStatus }) {
  const gc = status.gcStatus;
  return (
    <Card withBorder component="section" aria-label="Last garbage collection">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            Last garbage collection
          </Title>
          {gc?.upid != null && (
            <Anchor component={Link} to={taskPath(gc.upid)} size="sm">
              Show task
            </Anchor>
          )}
        </Group>
        {gc === null ? (
          <Text size="sm" c="dimmed">
            Garbage collection has not run yet.
          </Text>
        ) : (
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
            <Fact label="On disk">
              <ByteSize bytes={gc.diskBytes} /> in {gc.diskChunks} chunks
            </Fact>
            <Fact label="Referenced by indexes">
              <ByteSize bytes={gc.indexDataBytes} /> in {gc.indexFileCount} index files
            </Fact>
            <Fact label="Removed">
              <ByteSize bytes={gc.removedBytes} /> in {gc.removedChunks} chunks
            </Fact>
            <Fact label="Pending removal">
              <ByteSize bytes={gc.pendingBytes} /> in {gc.pendingChunks} chunks
            </Fact>
            <Fact label="Bad chunks">
              {gc.stillBad} still bad, {gc.removedBad} removed
            </Fact>
          </SimpleGrid>
        )}
      </Stack>
    </Card>
  );
}

/** /datastore/:store/summary: usage, history, estimate, dedup, counts, last GC, connection. */
export function SummaryTab() {
  const store = useParams().store ?? '';
  const trpc = useTRPC();
  const status = useQuery(trpc.datastore.status.queryOptions({ store }, { refetchInterval: 5000 }));
  const usage = useQuery(trpc.datastore.usage.queryOptions({ store }, { refetchInterval: 60_000 }));
  return (
    <Stack>
      {status.isError && <ErrorAlert error={status.error} onRetry={() => void status.refetch()} />}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        {status.isPending ? (
          <Skeleton h={180} />
        ) : (
          status.data && <UsageCard status={status.data} estimatedFull={usage.data?.estimatedFullDate} />
        )}
        <Card withBorder component="section" aria-label="Usage history">
          <Stack gap="sm">
            <Title order={3} size="h4">
              Usage history
            </Title>
            {usage.isPending && <Skeleton h={160} />}
            {usage.isError && <ErrorAlert error={usage.error} onRetry={() => void usage.refetch()} />}
            {usage.data && <UsageChart points={usage.data.points} label={`Usage history of ${store}`} />}
          </Stack>
        </Card>
        {status.data && <CountsCard status={status.data} />}
        {status.data && <GcCard status={status.data} />}
        {status.data?.s3 && <S3SummaryCard store={store} stats={status.data.s3} />}
        <ConnectionInfo store={store} />
      </SimpleGrid>
    </Stack>
  );
}
