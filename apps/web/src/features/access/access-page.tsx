import { Stack, Tabs, Text } from '@mantine/core';
import { IconKey, IconShieldLock, IconUsers } from '@tabler/icons-react';
import { Navigate, useNavigate, useParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { useSession } from '../../lib/use-session';
import { AclPanel } from '../../components/acl/acl-panel';
import { TokenPanel } from './token-panel';
import { UserPanel } from './user-panel';

const TABS = ['users', 'tokens', 'permissions'] as const;
type Tab = (typeof TABS)[number];

function isTab(value: string | undefined | null): value is Tab {
  return TABS.some((tab) => tab === value);
}

/** /access/users, /access/tokens, /access/permissions: each tab is its own URL. */
export function AccessPage() {
  const { tab } = useParams();
  const navigate = useNavigate();
  const session = useSession();
  if (!isTab(tab)) return <Navigate to="/access/users" replace />;
  const allowed = session.canBelow('/access', 'Sys.Audit', 'Permissions.Modify');
  return (
    <Stack>
      <PageHeader title="Access Control" description="Users, API tokens and permissions." />
      {!allowed && (
        <Text c="dimmed">
          You need the Sys.Audit or Permissions.Modify privilege on /access to manage access control. You can
          still manage your own API tokens here.
        </Text>
      )}
      <Tabs
        value={tab}
        onChange={(value) => isTab(value) && void navigate(`/access/${value}`)}
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="users" leftSection={<IconUsers size={16} />}>
            Users
          </Tabs.Tab>
          <Tabs.Tab value="tokens" leftSection={<IconKey size={16} />}>
            API Tokens
          </Tabs.Tab>
          <Tabs.Tab value="permissions" leftSection={<IconShieldLock size={16} />}>
            Permissions
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="users" pt="md">
          <UserPanel />
        </Tabs.Panel>
        <Tabs.Panel value="tokens" pt="md">
          <TokenPanel />
        </Tabs.Panel>
        <Tabs.Panel value="permissions" pt="md">
          <AclPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
