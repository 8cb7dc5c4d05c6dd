import { Stack, Text } from '@mantine/core';
import { useParams } from 'react-router';
import { AclPanel } from '../../components/acl/acl-panel';
import { datastoreAclPath } from '../../lib/datastore-paths';

/** /datastore/:store/permissions: the ACL entries on this datastore and its namespaces. */
export function PermissionsTab() {
  const store = useParams().store ?? '';
  const path = datastoreAclPath(store);
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Roles granted on {path} and on its namespaces ({path}/…). Roles on /datastore or / apply here too when
        they propagate.
      </Text>
      <AclPanel path={path} />
    </Stack>
  );
}
