import { Card, Code, Group, Stack, Text, Title } from '@mantine/core';
import { CopyAction } from '../../components/copy-action';
import { ErrorAlert } from '../../components/error-alert';
import { useServerInfo } from '../../lib/use-server-info';
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
  const session = useSession();
  // node.info is public (every TLS client sees the certificate anyway): no Sys.Audit needed
  const info = useServerInfo();
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
        {info.data ? (
          <Copyable label="Fingerprint" value={info.data.fingerprint} name="fingerprint" />
        ) : info.isError ? (
          <ErrorAlert error={info.error} title="The fingerprint could not be loaded" />
        ) : (
          <Text size="sm" c="dimmed">
            Loading the fingerprint…
          </Text>
        )}
        <Text size="xs" c="dimmed">
          e.g. <Code>PBS_REPOSITORY=&apos;{repository}&apos; proxmox-backup-client backup …</Code>
        </Text>
      </Stack>
    </Card>
  );
}
