import { Anchor, Center, Group, Loader, Stack, Tabs, Text } from '@mantine/core';
import {
  IconAdjustments,
  IconChartArea,
  IconFolders,
  IconRecycle,
  IconShieldCheck,
  IconShieldLock,
  IconTransfer,
} from '@tabler/icons-react';
import { Suspense } from 'react';
import { Link, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { MaintenanceBadge } from '../../components/maintenance-badge';
import { PageHeader } from '../../components/page-header';
import {
  DATASTORE_TABS,
  datastoreAclPath,
  datastorePath,
  type DatastoreTab,
} from '../../lib/datastore-paths';
import { useDatastoreList } from '../../lib/use-datastores';
import { useSession } from '../../lib/use-session';

const LABELS: Record<DatastoreTab, string> = {
  summary: 'Summary',
  content: 'Content',
  'prune-gc': 'Prune & GC',
  verify: 'Verify Jobs',
  sync: 'Sync Jobs',
  options: 'Options',
  permissions: 'Permissions',
};

const ICONS: Record<DatastoreTab, React.ReactNode> = {
  summary: <IconChartArea size={16} />,
  content: <IconFolders size={16} />,
  'prune-gc': <IconRecycle size={16} />,
  verify: <IconShieldCheck size={16} />,
  sync: <IconTransfer size={16} />,
  options: <IconAdjustments size={16} />,
  permissions: <IconShieldLock size={16} />,
};

/** /datastore/:store/<tab>: the store's header and tabs; each tab is its own URL. */
export function DatastoreLayout() {
  const store = useParams().store ?? '';
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const session = useSession();
  const list = useDatastoreList();
  const item = list.data?.find((d) => d.store === store);
  const segment = pathname.slice(pathname.lastIndexOf('/') + 1);
  // the file browser of a snapshot belongs to Content
  const tab = segment === 'browse' ? 'content' : (DATASTORE_TABS.find((t) => t === segment) ?? 'summary');
  const path = datastoreAclPath(store);
  const tabs = DATASTORE_TABS.filter((t) => {
    if (t === 'permissions') return session.canBelow('/access', 'Sys.Audit', 'Permissions.Modify');
    if (t === 'options' || t === 'prune-gc' || t === 'verify' || t === 'sync')
      return session.can(path, 'Datastore.Audit');
    return true;
  });

  return (
    <Stack>
      <PageHeader
        title={
          <Group gap="sm" component="span">
            <span>Datastore {store}</span>
            <MaintenanceBadge mode={item?.maintenance} />
          </Group>
        }
        description={
          <Group gap="xs">
            <Anchor component={Link} to="/datastore" size="sm">
              All datastores
            </Anchor>
            {item?.comment !== undefined && item.comment !== '' && (
              <Text size="sm" c="dimmed" span>
                · {item.comment}
              </Text>
            )}
          </Group>
        }
      />
      {list.data !== undefined && item === undefined && (
        <Text c="dimmed">
          There is no datastore named {store}, or you may not see it.{' '}
          <Anchor component={Link} to="/datastore">
            See all datastores
          </Anchor>
        </Text>
      )}
      {item?.creating === true && <Text>This datastore is still being created.</Text>}
      <Tabs
        value={tab}
        onChange={(value) => {
          const next = DATASTORE_TABS.find((t) => t === value);
          if (next !== undefined) void navigate(datastorePath(store, next));
        }}
      >
        <Tabs.List>
          {tabs.map((t) => (
            <Tabs.Tab key={t} value={t} leftSection={ICONS[t]}>
              {LABELS[t]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Suspense
        fallback={
          <Center py="xl">
            <Loader aria-label="Loading tab" />
          </Center>
        }
      >
        <Outlet />
      </Suspense>
    </Stack>
  );
}
