import { Card, Group, Progress, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorAlert } from '../../components/error-alert';
import { usageColor } from '../../components/task-state-colors';
import { formatDuration, formatPercent } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { FingerprintButton } from './fingerprint-button';
import { UsageBar } from '../../components/usage-bar';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" style={{ wordBreak: 'break-word' }}>
        {children}
      </Text>
    </div>
  );
}

/** Server health (node.status, every 5 s): CPU, memory, load, swap, data-dir disk, kernel. */
export function NodeStatusCard() {
  const trpc = useTRPC();
  const status = useQuery(trpc.node.status.queryOptions(undefined, { refetchInterval: 5000 }));
  return (
    <Card withBorder component="section" aria-label="Server status">
      <Stack>
        <Group justify="space-between">
          <Title order={3} size="h4">
            Server status{status.data ? `: ${status.data.hostname}` : ''}
          </Title>
          {status.data && <FingerprintButton fingerprint={status.data.fingerprint} />}
        </Group>
        {status.isPending && <Skeleton h={200} />}
        {status.isError && <ErrorAlert error={status.error} onRetry={() => void status.refetch()} />}
        {status.data && (
          <>
            <Stack gap={2}>
              <Group justify="space-between">
                <Text size="sm">CPU ({status.data.cpuInfo.cpus} cores)</Text>
                <Text size="sm" c="dimmed">
                  {formatPercent(status.data.cpu)}
                </Text>
              </Group>
              <Progress
                value={status.data.cpu * 100}
                color={usageColor(status.data.cpu)}
                aria-label="CPU usage"
              />
            </Stack>
            <UsageBar label="Memory" used={status.data.memory.used} total={status.data.memory.total} />
            <UsageBar label="Swap" used={status.data.swap.used} total={status.data.swap.total} />
            <UsageBar
              label={`Data directory (${status.data.dataDir.path})`}
              used={status.data.dataDir.used}
              total={status.data.dataDir.total}
            />
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <Fact label="Uptime">{formatDuration(status.data.uptime)}</Fact>
              <Fact label="Load average">{status.data.loadavg.map((l) => l.toFixed(2)).join(', ')}</Fact>
              <Fact label="CPU model">{status.data.cpuInfo.model}</Fact>
              <Fact label="Kernel">{status.data.kernel}</Fact>
              <Fact label="Server uptime">{formatDuration(status.data.processUptime)}</Fact>
              <Fact label="Node.js">{status.data.nodeVersion}</Fact>
            </SimpleGrid>
          </>
        )}
      </Stack>
    </Card>
  );
}
