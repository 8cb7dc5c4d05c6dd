import { Card, Code, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { CopyAction } from '../../components/copy-action';
import { useTRPC } from '../../lib/trpc';
import { useSession } from '../../lib/use-session';

/** host[:port] as backup clients spell it: brackets around IPv6, the port only when not 8007. */
function serverPart(): string {
  const { hostname, port } = window.location;
  const host = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  return port === '' || port === '8007' ? host : `${host}:${port}`;
}

function Copyable({ label, value, name }: { label: string; value: string; name: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Group gap={4} wrap="nowrap">
        <Code aria-label={label} style={{ wordBreak: 'break-all', flex: 1 }}>
          {value}
        </Code>
        <CopyAction value={value} label={name} />
      </Group>
    </Stack>
  );
}

/**
 * PBS's "Show Connection Information": the repository string for proxmox-backup-client
 * (`user@realm@host:store`) and the certificate fingerprint clients pin.
 */
export function ConnectionInfo({ store }: { store: string }) {
  const trpc = useTRPC();
  const session = useSession();
  const seesNode = session.can('/system/status', 'Sys.Audit');
  const node = useQuery(trpc.node.status.queryOptions(undefined, { enabled: seesNode, staleTime: 60_000 }));
  const server = serverPart();
  const repository = `${session.authId}@${server}:${store}`;
  return (
    <Card withBorder component="section" aria-label="Connection information">
      <Stack gap="sm">
        <Title order={3} size="h4">
          Connection information
        </Title>
        <Copyable label="Datastore" value={store} name="datastore name" />
        <Copyable label="Server" value={server} name="server address" />
        <Copyable label="Repository" value={repository} name="repository" />
        {node.data ? (
          <Copyable label="Fingerprint" value={node.data.fingerprint} name="fingerprint" />
        ) : (
          <Text size="sm" c="dimmed">
            {seesNode
              ? 'Loading the fingerprint…'
              : 'Ask an administrator for the server’s certificate fingerprint.'}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          e.g. <Code>PBS_REPOSITORY=&apos;{repository}&apos; proxmox-backup-client backup …</Code>
        </Text>
      </Stack>
    </Card>
  );
}
