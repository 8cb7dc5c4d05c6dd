import { Anchor, Breadcrumbs, Button, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconArrowsMove, IconFolderMinus, IconFolderPlus, IconShieldCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import {
  contentPath,
  datastoreAclPath,
  parentNamespace,
  readContentLocation,
  writeContentLocation,
  type ContentLocation,
} from '../../lib/datastore-paths';
import { useSession } from '../../lib/use-session';
import { ContentView } from './content-view';
import {
  AddNamespaceModal,
  MoveNamespaceModal,
  RemoveNamespaceModal,
  VerifyNamespaceModal,
} from './namespace-modals';
import { NamespaceTree } from './namespace-tree';

type NsDialog = 'add' | 'remove' | 'move' | 'verify' | null;

function NamespaceCrumbs({ store, ns }: { store: string; ns: string }) {
  const parts = ns === '' ? [] : ns.split('/');
  return (
    <Breadcrumbs separator="/" aria-label="Namespace path">
      <Anchor component={Link} to={contentPath(store)} size="sm">
        root
      </Anchor>
      {parts.map((part, i) => (
        <Anchor
          key={i}
          component={Link}
          to={contentPath(store, { ns: parts.slice(0, i + 1).join('/') })}
          size="sm"
        >
          {part}
        </Anchor>
      ))}
    </Breadcrumbs>
  );
}

/**
 * /datastore/:store/content?ns=&group=&snapshot=&q=: the namespace tree beside the groups,
 * snapshots and archives of the selected namespace. Every selection is in the URL.
 */
export function ContentTab() {
  const store = useParams().store ?? '';
  const [params, setParams] = useSearchParams();
  const routerNavigate = useNavigate();
  const session = useSession();
  const loc = readContentLocation(params);
  const [nsDialog, setNsDialog] = useState<NsDialog>(null);
  const navigate = (next: Partial<ContentLocation>, replace = false) =>
    setParams(writeContentLocation(next), { replace });
  const goToNs = (ns: string) => {
    setNsDialog(null);
    void routerNavigate(contentPath(store, { ns }));
  };
  const parent = parentNamespace(loc.ns);
  const mayModifyHere = session.can(datastoreAclPath(store, loc.ns), 'Datastore.Modify');
  const mayModifyParent = session.can(datastoreAclPath(store, parent), 'Datastore.Modify');
  const mayVerify = session.can(datastoreAclPath(store, loc.ns), 'Datastore.Verify');

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 3, xl: 2 }}>
        <Paper withBorder p="xs" component="section" aria-label="Namespace tree">
          <Stack gap="xs">
            <Title order={3} size="h5">
              Namespaces
            </Title>
            <NamespaceTree store={store} selected={loc.ns} />
          </Stack>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 9, xl: 10 }}>
        <Stack gap="sm">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Stack gap={0}>
              <Text size="xs" c="dimmed">
                Namespace
              </Text>
              <NamespaceCrumbs store={store} ns={loc.ns} />
            </Stack>
            <Group gap="xs">
              {mayVerify && (
                <Button
                  size="xs"
                  variant="default"
                  leftSection={<IconShieldCheck size={14} />}
                  onClick={() => setNsDialog('verify')}
                >
                  Verify all
                </Button>
              )}
              {mayModifyHere && (
                <Button
                  size="xs"
                  variant="default"
                  leftSection={<IconFolderPlus size={14} />}
                  onClick={() => setNsDialog('add')}
                >
                  Add namespace
                </Button>
              )}
              {loc.ns !== '' && mayModifyParent && (
                <>
                  <Button
                    size="xs"
                    variant="default"
                    leftSection={<IconArrowsMove size={14} />}
                    onClick={() => setNsDialog('move')}
                  >
                    Move namespace
                  </Button>
                  <Button
                    size="xs"
                    variant="light"
                    color="red"
                    leftSection={<IconFolderMinus size={14} />}
                    onClick={() => setNsDialog('remove')}
                  >
                    Remove namespace
                  </Button>
                </>
              )}
            </Group>
          </Group>
          <ContentView key={`${store}\u0000${loc.ns}`} store={store} loc={loc} navigate={navigate} />
        </Stack>
      </Grid.Col>
      {nsDialog === 'add' && (
        <AddNamespaceModal store={store} ns={loc.ns} onClose={() => setNsDialog(null)} onDone={goToNs} />
      )}
      {nsDialog === 'remove' && (
        <RemoveNamespaceModal
          store={store}
          ns={loc.ns}
          parent={parent}
          onClose={() => setNsDialog(null)}
          onDone={goToNs}
        />
      )}
      {nsDialog === 'move' && (
        <MoveNamespaceModal store={store} ns={loc.ns} onClose={() => setNsDialog(null)} onDone={goToNs} />
      )}
      {nsDialog === 'verify' && (
        <VerifyNamespaceModal store={store} ns={loc.ns} onClose={() => setNsDialog(null)} />
      )}
    </Grid>
  );
}
