import { Anchor, Badge, Card, Group, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { DatastoreListItem } from '@pbs/api-types';
import { ErrorAlert } from '../../components/error-alert';
import { Fact } from '../../components/fact';
import { MaintenanceBadge } from '../../components/maintenance-badge';
import { UsageBar } from '../../components/usage-bar';
import { UsageChart } from '../../components/usage-chart';
import { datastorePath } from '../../lib/datastore-paths';
import { formatDedup, formatEstimatedFull } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';

const POLL_MS = 30_000;

/** One datastore on the root overview: usage, estimate, dedup factor, counts, history. */
export function DatastoreCard({ item }: { item: DatastoreListItem }) {
  const trpc = useTRPC();
  const usable =
    !item.creating && item.maintenance?.type !== 'offline' && item.maintenance?.type !== 'delete';
  const status = useQuery(
    trpc.datastore.status.queryOptions({ store: item.store }, { enabled: usable, refetchInterval: POLL_MS }),
  );
  const usage = useQuery(
    trpc.datastore.usage.queryOptions({ store: item.store }, { enabled: usable, refetchInterval: POLL_MS }),
  );
  const counts = status.data?.counts;
  const snapshots =
    counts === undefined ? 0 : counts.vm.snapshots + counts.ct.snapshots + counts.host.snapshots;
  return (
    <Card withBorder component="section" aria-label={`Datastore ${item.store}`}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Anchor component={Link} to={datastorePath(item.store)} fw={700} size="lg" truncate>
            {item.store}
          </Anchor>
          <Group gap={4}>
            {item.backendType === 's3' && <Badge variant="light">S3</Badge>}
            <MaintenanceBadge mode={item.maintenance} />
          </Group>
        </Group>
        {item.comment !== undefined && item.comment !== '' && (
          <Text size="sm" c="dimmed" lineClamp={2}>
            {item.comment}
          </Text>
        )}
        {item.creating && <Text size="sm">Being created…</Text>}
        {!usable && !item.creating && (
          <Text size="sm" c="dimmed">
            Not available while {item.maintenance?.type === 'delete' ? 'it is being removed' : 'offline'}.
          </Text>
        )}
        {status.isPending && usable && <Skeleton h={90} />}
        {status.isError && <ErrorAlert error={status.error} onRetry={() => void status.refetch()} />}
        {status.data && (
          <>
            <UsageBar
              label="Usage"
              barLabel={`Usage of ${item.store}`}
              used={status.data.used}
              total={status.data.total}
            />
            <SimpleGrid cols={2} spacing="xs">
              <Fact label="Estimated full">{formatEstimatedFull(usage.data?.estimatedFullDate)}</Fact>
              <Fact label="Deduplication factor">{formatDedup(status.data.dedupFactor)}</Fact>
              <Fact label="Snapshots">
                {snapshots} (VM {counts?.vm.snapshots ?? 0}, CT {counts?.ct.snapshots ?? 0}, host{' '}
                {counts?.host.snapshots ?? 0})
              </Fact>
              <Fact label="Bad chunks">{status.data.gcStatus?.stillBad ?? 0}</Fact>
              {status.data.s3 !== undefined && (
                <Fact label="Estimated S3 cost per month">
                  {status.data.s3.cost.total.toFixed(2)} {status.data.s3.cost.currency}
                </Fact>
              )}
            </SimpleGrid>
            {usage.data && usage.data.points.length > 1 && (
              <UsageChart
                points={usage.data.points}
                label={`Usage history of ${item.store}`}
                height={40}
                compact
              />
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}
