import { Button, Center, Loader, Stack, Tabs } from '@mantine/core';
import {
  IconChartArea,
  IconDatabasePlus,
  IconRecycle,
  IconShieldCheck,
  IconTransfer,
} from '@tabler/icons-react';
import { Suspense } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { PageHeader } from '../../components/page-header';
import {
  ADD_DATASTORE_PATH,
  DATASTORE_ROOT_TABS,
  datastoreRootPath,
  type DatastoreRootTab,
} from '../../lib/datastore-paths';
import { useSession } from '../../lib/use-session';

function tabOf(pathname: string): DatastoreRootTab {
  return DATASTORE_ROOT_TABS.find((tab) => pathname === datastoreRootPath(tab)) ?? 'summary';
}

/** The datastore root: every store's summary, and all stores' Prune & GC, Verify and Sync jobs. */
export function DatastoreRootLayout() {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const session = useSession();
  const tab = tabOf(pathname);
  return (
    <Stack>
      <PageHeader
        title="Datastores"
        description="Usage of every datastore, and the jobs that keep them tidy."
        actions={
          session.can('/datastore', 'Datastore.Allocate') ? (
            <Button component={Link} to={ADD_DATASTORE_PATH} leftSection={<IconDatabasePlus size={16} />}>
              Add Datastore
            </Button>
          ) : undefined
        }
      />
      <Tabs
        value={tab}
        onChange={(value) => {
          const next = DATASTORE_ROOT_TABS.find((t) => t === value);
          if (next !== undefined) void navigate(datastoreRootPath(next));
        }}
      >
        <Tabs.List>
          <Tabs.Tab value="summary" leftSection={<IconChartArea size={16} />}>
            Summary
          </Tabs.Tab>
          <Tabs.Tab value="prune-gc" leftSection={<IconRecycle size={16} />}>
            Prune &amp; GC Jobs
          </Tabs.Tab>
          <Tabs.Tab value="verify" leftSection={<IconShieldCheck size={16} />}>
            Verify Jobs
          </Tabs.Tab>
          <Tabs.Tab value="sync" leftSection={<IconTransfer size={16} />}>
            Sync Jobs
          </Tabs.Tab>
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
