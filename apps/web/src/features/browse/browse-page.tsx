import { Anchor, Badge, Box, Breadcrumbs, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconBasket, IconRefresh } from '@tabler/icons-react';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { SnapshotRef } from '@pbs/api-types';
import { ByteSize } from '../../components/byte-size';
import { ErrorAlert } from '../../components/error-alert';
import {
  browsePath,
  contentPath,
  readBrowseLocation,
  snapshotName,
  type BrowseLocation,
} from '../../lib/datastore-paths';
import { pxarDownloadUrl } from '../../lib/downloads';
import { formatEpoch } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { BasketDrawer } from './basket-drawer';
import { browseRows, type Listing } from './browse-rows';
import { DownloadAction } from './download-action';
import { archiveOf, innerPath } from './entry-types';
import { FileTable } from './file-table';
import { useBasket, type Basket } from './use-basket';
import { VersionsDrawer } from './versions-drawer';

/**
 * /datastore/:store/browse?ns=&snapshot=<type>/<id>/<time>&path=<archive>/<dir>: the files of
 * a snapshot's pxar archives, folder by folder (each its own URL), with downloads, version
 * lists and the restore basket.
 */
export function BrowsePage() {
  const store = useParams().store ?? '';
  const [params] = useSearchParams();
  const loc = readBrowseLocation(params);
  if (loc === null) {
    return (
      <Stack gap="xs">
        <Text>This link does not name a snapshot to browse.</Text>
        <Anchor component={Link} to={contentPath(store)}>
          Go to the datastore’s content
        </Anchor>
      </Stack>
    );
  }
  return (
    <SnapshotBrowser
      key={`${store}\u0000${loc.ns}\u0000${snapshotName(loc.snapshot)}`}
      store={store}
      loc={loc}
    />
  );
}

function PathCrumbs({ store, loc }: { store: string; loc: BrowseLocation }) {
  const parts = loc.path === '' ? [] : loc.path.split('/');
  const here = (path: string) => browsePath(store, { ns: loc.ns, snapshot: loc.snapshot, path });
  const crumbs = [
    { label: 'Archives', path: '' },
    ...parts.map((part, i) => ({ label: part, path: parts.slice(0, i + 1).join('/') })),
  ];
  return (
    <Box component="nav" aria-label="Folder path">
      <Breadcrumbs separator="/" style={{ flexWrap: 'wrap' }}>
        {crumbs.map((crumb, i) =>
          i === crumbs.length - 1 ? (
            <Text
              key={crumb.path}
              size="sm"
              fw={600}
              aria-current="page"
              ff={i > 0 ? 'monospace' : undefined}
            >
              {crumb.label}
            </Text>
          ) : (
            <Anchor
              key={crumb.path}
              component={Link}
              to={here(crumb.path)}
              size="sm"
              ff={i > 0 ? 'monospace' : undefined}
            >
              {crumb.label}
            </Anchor>
          ),
        )}
      </Breadcrumbs>
    </Box>
  );
}

function useSnapshotItem(store: string, ns: string, snapshot: SnapshotRef) {
  const trpc = useTRPC();
  const found = useQuery(
    trpc.snapshot.list.queryOptions({
      store,
      ns,
      group: { type: snapshot.type, id: snapshot.id },
      time: snapshot.time,
      start: 0,
      limit: 1,
    }),
  );
  return { found, item: found.data?.items.find((s) => s.time === snapshot.time) };
}

function SnapshotFacts({
  ns,
  snapshot,
  found,
  item,
}: {
  ns: string;
  snapshot: SnapshotRef;
} & ReturnType<typeof useSnapshotItem>) {
  if (found.isError) return <ErrorAlert error={found.error} onRetry={() => void found.refetch()} />;
  if (found.data !== undefined && item === undefined) {
    return (
      <Text size="sm" c="dimmed">
        There is no snapshot {snapshotName(snapshot)} {ns === '' ? '' : `in namespace ${ns} `}(any more).
      </Text>
    );
  }
  return (
    <Group gap="md" c="dimmed">
      <Text size="sm">Backup time {formatEpoch(snapshot.time)}</Text>
      {item !== undefined && (
        <>
          <Text size="sm">
            Size <ByteSize bytes={item.size} />
          </Text>
          <Text size="sm">Owner {item.owner ?? '—'}</Text>
          {item.cryptMode !== 'none' && (
            <Badge variant="light" color={item.cryptMode === 'sign-only' ? 'teal' : 'orange'}>
              {item.cryptMode === 'sign-only'
                ? 'signed'
                : item.cryptMode === 'encrypt'
                  ? 'encrypted'
                  : 'mixed'}
            </Badge>
          )}
        </>
      )}
    </Group>
  );
}

function SnapshotBrowser({ store, loc }: { store: string; loc: BrowseLocation }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { ns, snapshot, path } = loc;
  const name = snapshotName(snapshot);
  const basket = useBasket(`pbs-basket\u0000${store}\u0000${ns}\u0000${name}`);
  const go = (next: Partial<BrowseLocation>) => void navigate(browsePath(store, { ...loc, ...next }));
  const group = { type: snapshot.type, id: snapshot.id };
  const snapshotItem = useSnapshotItem(store, ns, snapshot);
  const encrypted = new Set(
    (snapshotItem.item?.files ?? []).filter((f) => f.cryptMode === 'encrypt').map((f) => f.filename),
  );

  return (
    <Stack gap="sm">
      <Paper withBorder p="sm" component="section" aria-label="Snapshot">
        <Stack gap={6}>
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Title order={3} size="h4" style={{ wordBreak: 'break-all' }}>
              Files of {name}
            </Title>
            <Group gap="xs">
              <Button
                component={Link}
                to={contentPath(store, { ns, group, snapshot: snapshot.time })}
                size="xs"
                variant="default"
                leftSection={<IconArrowLeft size={14} />}
              >
                Back to the snapshot
              </Button>
              <Button
                size="xs"
                variant="default"
                leftSection={<IconRefresh size={14} />}
                onClick={() => void queryClient.invalidateQueries({ queryKey: trpc.browse.pathKey() })}
              >
                Reload
              </Button>
              <Button
                size="xs"
                variant={basket.items.length === 0 ? 'default' : 'filled'}
                leftSection={<IconBasket size={14} />}
                onClick={() => go({ basket: true, versions: null })}
              >
                {`Basket (${basket.items.length})`}
              </Button>
            </Group>
          </Group>
          <SnapshotFacts ns={ns} snapshot={snapshot} {...snapshotItem} />
        </Stack>
      </Paper>
      <Directory key={path} store={store} loc={loc} basket={basket} encrypted={encrypted} />
      {loc.versions !== null && (
        <VersionsDrawer
          store={store}
          ns={ns}
          snapshot={snapshot}
          path={loc.versions}
          onClose={() => go({ versions: null })}
        />
      )}
      {loc.basket && (
        <BasketDrawer
          basket={basket}
          downloadUrl={(format) =>
            pxarDownloadUrl(
              store,
              ns,
              snapshot,
              basket.items.map((i) => i.path),
              format,
            )
          }
          onClose={() => go({ basket: false })}
        />
      )}
    </Stack>
  );
}

/** One folder (or the archive list) with its expanded subfolders, each listed on demand. */
function Directory({
  store,
  loc,
  basket,
  encrypted,
}: {
  store: string;
  loc: BrowseLocation;
  basket: Basket;
  /** the snapshot's encrypted archives: the server cannot read them */
  encrypted: ReadonlySet<string>;
}) {
  const trpc = useTRPC();
  const { ns, snapshot, path } = loc;
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const paths = [path, ...expanded];
  const results = useQueries({
    queries: paths.map((p) => trpc.browse.list.queryOptions({ store, ns, snapshot, path: p })),
  });
  const listings = new Map<string, Listing>(
    paths.map((p, i) => [p, { data: results[i]?.data, error: results[i]?.error }]),
  );
  const root = results[0];
  const rows = browseRows(path, listings, expanded);
  const link = (p: string, extra: Partial<BrowseLocation> = {}) =>
    browsePath(store, { ns, snapshot, path: p, ...extra });

  return (
    <>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <PathCrumbs store={store} loc={loc} />
        {path !== '' && root?.isSuccess === true && (
          <Group gap={4}>
            <Text size="xs" c="dimmed">
              Download this folder
            </Text>
            <DownloadAction
              label={`Download ${innerPath(path)}`}
              single={null}
              packed={(format) => pxarDownloadUrl(store, ns, snapshot, [path], format)}
            />
          </Group>
        )}
      </Group>
      {root?.isError === true && (
        <ErrorAlert
          error={root.error}
          title={path.includes('/') ? 'This folder cannot be listed' : 'This archive cannot be browsed'}
          onRetry={() => void root.refetch()}
        />
      )}
      {root?.isError !== true && (
        <Paper withBorder>
          <FileTable
            rows={rows}
            loading={root?.isPending === true}
            archives={path === ''}
            encrypted={encrypted}
            basket={basket}
            folderLink={(p) => link(p)}
            onToggle={(p) =>
              setExpanded((current) => {
                const next = new Set(current);
                if (next.has(p)) {
                  for (const open of current) if (open === p || open.startsWith(`${p}/`)) next.delete(open);
                } else next.add(p);
                return next;
              })
            }
            fileUrl={(p) => pxarDownloadUrl(store, ns, snapshot, [p])}
            packedUrl={(p, format) => pxarDownloadUrl(store, ns, snapshot, [p], format)}
            versionsLink={(p) => link(path, { versions: p })}
            basketRefusal={(p) =>
              basket.archive === null || archiveOf(p) === basket.archive
                ? null
                : `The basket holds entries of ${basket.archive}; one download reads one archive`
            }
          />
        </Paper>
      )}
    </>
  );
}
