import { Anchor, Breadcrumbs, Grid, NavLink, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconDatabase, IconFolder } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import type { GroupItem } from '@pbs/api-types';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { formatEpoch } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { REMOTES_PATH, readScanLocation, remoteScanPath } from './remote-paths';

const GROUP_COLUMNS: Column<GroupItem>[] = [
  { key: 'group', header: 'Group', render: (g) => `${g.type}/${g.id}` },
  { key: 'count', header: 'Snapshots', width: 100, render: (g) => g.backupCount },
  { key: 'last', header: 'Last backup', width: 190, render: (g) => formatEpoch(g.lastBackup) },
  { key: 'owner', header: 'Owner', render: (g) => g.owner ?? '' },
  { key: 'comment', header: 'Comment', render: (g) => g.comment ?? '' },
];

/**
 * /config/remotes/:name/scan?store=&ns=: what the remote offers with its stored credentials —
 * datastores, then a store's namespaces and the groups of the chosen namespace.
 */
export function RemoteScanPage() {
  const name = useParams().name ?? '';
  const [params] = useSearchParams();
  const { store, ns } = readScanLocation(params);
  const trpc = useTRPC();
  const stores = useQuery(trpc.remote.scanDatastores.queryOptions({ name }, { retry: false }));
  const namespaces = useQuery(
    trpc.remote.scanNamespaces.queryOptions(
      { name, store: store ?? '' },
      { enabled: store !== null, retry: false },
    ),
  );
  const groups = useQuery(
    trpc.remote.scanGroups.queryOptions(
      { name, store: store ?? '', ns },
      { enabled: store !== null, retry: false },
    ),
  );
  // the listing may include the root itself; it is always offered first
  const nsList = [
    { ns: '' as string, comment: undefined as string | undefined },
    ...(namespaces.data ?? []).filter((n) => n.ns !== ''),
  ];
  return (
    <Stack>
      <PageHeader
        title={`Scan of remote ${name}`}
        description={
          <Breadcrumbs>
            <Anchor component={Link} to={REMOTES_PATH} size="sm">
              Remotes
            </Anchor>
            <Anchor component={Link} to={remoteScanPath(name)} size="sm">
              {name}
            </Anchor>
            {store !== null && (
              <Anchor component={Link} to={remoteScanPath(name, { store })} size="sm">
                {store}
              </Anchor>
            )}
            {store !== null && ns !== '' && <Text size="sm">{ns}</Text>}
          </Breadcrumbs>
        }
      />
      <Grid>
        <Grid.Col span={{ base: 12, md: 3 }}>
          <Paper withBorder p="xs" component="nav" aria-label="Remote datastores">
            <Title order={3} size="h5" mb="xs">
              Datastores
            </Title>
            {stores.isPending && <Skeleton h={80} />}
            {stores.isError && <ErrorAlert error={stores.error} onRetry={() => void stores.refetch()} />}
            {stores.data?.length === 0 && (
              <Text size="sm" c="dimmed">
                The remote shows no datastore to {name}&apos;s auth ID.
              </Text>
            )}
            {stores.data?.map((s) => (
              <NavLink
                key={s.store}
                component={Link}
                to={remoteScanPath(name, { store: s.store })}
                label={s.store}
                description={s.comment}
                leftSection={<IconDatabase size={16} aria-hidden />}
                active={s.store === store}
              />
            ))}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 3 }}>
          {store !== null && (
            <Paper withBorder p="xs" component="nav" aria-label="Remote namespaces">
              <Title order={3} size="h5" mb="xs">
                Namespaces
              </Title>
              {namespaces.isPending && <Skeleton h={80} />}
              {namespaces.isError && (
                <ErrorAlert error={namespaces.error} onRetry={() => void namespaces.refetch()} />
              )}
              {namespaces.isSuccess &&
                nsList.map((n) => (
                  <NavLink
                    key={n.ns}
                    component={Link}
                    to={remoteScanPath(name, { store, ns: n.ns })}
                    label={n.ns === '' ? 'Root namespace' : n.ns}
                    description={n.comment}
                    leftSection={<IconFolder size={16} aria-hidden />}
                    active={n.ns === ns}
                  />
                ))}
            </Paper>
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          {store === null ? (
            <Text c="dimmed" size="sm">
              Choose a datastore to see its namespaces and backup groups.
            </Text>
          ) : (
            <Stack gap="xs">
              <Title order={3} size="h5">
                Groups in {ns === '' ? 'the root namespace' : ns}
              </Title>
              {groups.isError && <ErrorAlert error={groups.error} onRetry={() => void groups.refetch()} />}
              <DataTable
                label="Remote groups"
                columns={GROUP_COLUMNS}
                rows={groups.data ?? []}
                rowKey={(g) => `${g.type}/${g.id}`}
                loading={groups.isPending}
                empty="No backup groups in this namespace."
                minWidth={560}
              />
            </Stack>
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
