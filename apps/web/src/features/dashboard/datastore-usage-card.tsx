import { Anchor, Card, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/error-alert';
import { MaintenanceBadge } from '../../components/maintenance-badge';
import { UsageBar } from '../../components/usage-bar';
import { datastorePath } from '../../lib/datastore-paths';
import { formatEstimatedFull } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { useDatastoreList } from '../../lib/use-datastores';

/** Every datastore's usage bar and estimated-full date, each linking to the store's summary. */
export function DatastoreUsageCard() {
  const trpc = useTRPC();
  const list = useDatastoreList();
  const stores = (list.data ?? []).filter(
    (d) => !d.creating && d.maintenance?.type !== 'offline' && d.maintenance?.type !== 'delete',
  );
  const statuses = useQueries({
    queries: stores.map((d) =>
      trpc.datastore.status.queryOptions({ store: d.store }, { refetchInterval: 30_000 }),
    ),
  });
  const usages = useQueries({
    queries: stores.map((d) =>
      trpc.datastore.usage.queryOptions({ store: d.store }, { refetchInterval: 300_000 }),
    ),
  });
  return (
    <Card withBorder component="section" aria-label="Datastore usage">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            Datastore usage
          </Title>
          <Anchor component={Link} to="/datastore" size="sm">
            All datastores
          </Anchor>
        </Group>
        {list.isPending && <Skeleton h={60} />}
        {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
        {list.data?.length === 0 && (
          <Text c="dimmed" size="sm">
            No datastore yet.
          </Text>
        )}
        {(list.data ?? []).map((d) => {
          const i = stores.indexOf(d);
          const status = i < 0 ? undefined : statuses[i];
          const usage = i < 0 ? undefined : usages[i];
          return (
            <Stack key={d.store} gap={2}>
              <Group justify="space-between" gap="xs">
                <Anchor component={Link} to={datastorePath(d.store)} size="sm" fw={500}>
                  {d.store}
                </Anchor>
                <MaintenanceBadge mode={d.maintenance} />
              </Group>
              {status?.data ? (
                <>
                  <UsageBar
                    label="Usage"
                    barLabel={`Usage of ${d.store}`}
                    used={status.data.used}
                    total={status.data.total}
                  />
                  <Text size="xs" c="dimmed">
                    Estimated full: {formatEstimatedFull(usage?.data?.estimatedFullDate)}
                  </Text>
                </>
              ) : status?.isError ? (
                <Text size="xs" c="red">
                  Usage unavailable
                </Text>
              ) : d.creating ? (
                <Text size="xs" c="dimmed">
                  Being created…
                </Text>
              ) : i < 0 ? null : (
                <Skeleton h={24} />
              )}
            </Stack>
          );
        })}
      </Stack>
    </Card>
  );
}
