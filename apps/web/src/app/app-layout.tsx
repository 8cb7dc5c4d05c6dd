import { AppShell, Burger, Center, Group, Loader } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { Outlet } from 'react-router';
import { ProductTitle } from '../components/product-title';
import { UserMenu } from '../features/auth/user-menu';
import { RunningTasksButton } from '../features/tasks/running-tasks-button';
import { useServerInfo } from '../lib/use-server-info';
import { NavTree } from './nav-tree';

/** The shell: header (product, version, BETA, running tasks, user menu), navigation, page. */
export function AppLayout() {
  const [navOpened, nav] = useDisclosure(false);
  const info = useServerInfo();
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger
              opened={navOpened}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={navOpened ? 'Close navigation' : 'Open navigation'}
            />
            <ProductTitle
              product={info.data?.product}
              version={info.data?.version}
              bugTrackerUrl={info.data?.bugTrackerUrl}
              compact
            />
          </Group>
          <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
            <RunningTasksButton />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <NavTree onNavigate={nav.close} />
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense
          fallback={
            <Center py="xl">
              <Loader aria-label="Loading page" />
            </Center>
          }
        >
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
