import { Anchor, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/error-alert';
import { ADD_DATASTORE_PATH } from '../../lib/datastore-paths';
import { useDatastoreList } from '../../lib/use-datastores';
import { useSession } from '../../lib/use-session';
import { DatastoreCard } from './datastore-card';

/** /datastore: one card per datastore the caller may see. */
export function DatastoreOverview() {
  const list = useDatastoreList();
  const session = useSession();
  const mayAdd = session.can('/datastore', 'Datastore.Allocate');
  if (list.isPending) return <Skeleton h={200} />;
  if (list.isError) return <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />;
  if (list.data.length === 0) {
    return (
      <Stack align="flex-start" py="md">
        <Text c="dimmed">
          No datastore yet. A datastore is where backups are kept: a directory with deduplicated chunks,
          snapshots and their indexes.
        </Text>
        {mayAdd && (
          <Anchor component={Link} to={ADD_DATASTORE_PATH}>
            Add a datastore
          </Anchor>
        )}
      </Stack>
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
      {list.data.map((item) => (
        <DatastoreCard key={item.store} item={item} />
      ))}
    </SimpleGrid>
  );
}
