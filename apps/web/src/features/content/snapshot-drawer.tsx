import {
  Button,
  Code,
  Drawer,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconEdit } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { GroupRef, SnapshotItem } from '@pbs/api-types';
import { ByteSize } from '../../components/byte-size';
import { CopyAction } from '../../components/copy-action';
import { ErrorAlert } from '../../components/error-alert';
import { Fact } from '../../components/fact';
import { backupTimeText, snapshotName } from '../../lib/datastore-paths';
import { formatEpoch } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { CryptBadge, VerifyBadge } from './content-grid';
import { RowMenu, type MenuAction } from './row-menu';

export interface SnapshotDrawerProps {
  store: string;
  ns: string;
  group: GroupRef;
  time: number;
  onClose: () => void;
  /** the snapshot's actions (verify, protect, notes, forget) */
  actions: (snapshot: SnapshotItem) => MenuAction[];
  /** an archive's actions (browse, downloads) */
  archiveActions: (snapshot: SnapshotItem, file: SnapshotItem['files'][number]) => MenuAction[];
  onEditNotes: (snapshot: SnapshotItem) => void;
}

function Notes({
  store,
  ns,
  snapshot,
  onEdit,
  canEdit,
}: {
  store: string;
  ns: string;
  snapshot: SnapshotItem;
  onEdit: () => void;
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const ref = { type: snapshot.type, id: snapshot.id, time: snapshot.time };
  const notes = useQuery(trpc.snapshot.notes.queryOptions({ store, ns, snapshot: ref }));
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={4}>Notes</Title>
        {canEdit && (
          <Button size="xs" variant="default" leftSection={<IconEdit size={14} />} onClick={onEdit}>
            Edit notes
          </Button>
        )}
      </Group>
      {notes.isPending && <Loader size="sm" aria-label="Loading notes" />}
      {notes.isError && <ErrorAlert error={notes.error} onRetry={() => void notes.refetch()} />}
      {notes.data &&
        (notes.data.notes === '' ? (
          <Text size="sm" c="dimmed">
            No notes.
          </Text>
        ) : (
          <Code block aria-label="Snapshot notes" style={{ whiteSpace: 'pre-wrap' }}>
            {notes.data.notes}
          </Code>
        ))}
    </Stack>
  );
}

/**
 * The deep-linked snapshot (…/content?ns=&group=&snapshot=<epoch>): facts, archives, notes and
 * actions. It is found through the server's filter on its backup time, so it opens at once
 * even in a group of 10,000 snapshots.
 */
export function SnapshotDrawer(props: SnapshotDrawerProps) {
  const { store, ns, group, time, onClose, actions, archiveActions, onEditNotes } = props;
  const trpc = useTRPC();
  const name = snapshotName({ ...group, time });
  const found = useQuery(
    trpc.snapshot.list.queryOptions({
      store,
      ns,
      group,
      start: 0,
      limit: 10,
      search: backupTimeText(time).slice(0, 19),
    }),
  );
  const snapshot = found.data?.items.find((s) => s.time === time);
  const snapshotActions = snapshot === undefined ? [] : actions(snapshot);
  return (
    <Drawer
      opened
      onClose={onClose}
      position="right"
      size="lg"
      title={`Snapshot ${name}`}
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Stack>
        {found.isPending && <Loader aria-label="Loading snapshot" />}
        {found.isError && <ErrorAlert error={found.error} onRetry={() => void found.refetch()} />}
        {found.data !== undefined && snapshot === undefined && (
          <Text c="dimmed">There is no snapshot {name} in this namespace (any more).</Text>
        )}
        {snapshot !== undefined && (
          <>
            <Group gap={4}>
              <Code>{name}</Code>
              <CopyAction value={name} label="snapshot name" />
            </Group>
            <Group gap="xs">
              {snapshotActions
                .filter(
                  (a) => a.label !== 'Show details' && a.label !== 'Edit notes…' && a.label !== 'Copy name',
                )
                .map((action) => (
                  <Button
                    key={action.label}
                    size="xs"
                    variant="light"
                    color={action.color}
                    leftSection={action.icon}
                    onClick={action.onClick}
                  >
                    {action.label}
                  </Button>
                ))}
            </Group>
            <SimpleGrid cols={2} spacing="xs">
              <Fact label="Backup time">{formatEpoch(snapshot.time)}</Fact>
              <Fact label="Size">
                <ByteSize bytes={snapshot.size} />
              </Fact>
              <Fact label="Owner">{snapshot.owner ?? '—'}</Fact>
              <Fact label="Protected">{snapshot.protected ? 'yes' : 'no'}</Fact>
              <Fact label="Encrypted">
                <CryptBadge mode={snapshot.cryptMode} />
              </Fact>
              <Fact label="Verify state">
                <VerifyBadge verification={snapshot.verification} />
              </Fact>
              {snapshot.fingerprint !== undefined && (
                <Fact label="Key fingerprint">{snapshot.fingerprint}</Fact>
              )}
              {snapshot.comment !== undefined && <Fact label="Comment">{snapshot.comment}</Fact>}
            </SimpleGrid>
            <Title order={4}>Archives</Title>
            <Table aria-label="Archives">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>File</Table.Th>
                  <Table.Th>Size</Table.Th>
                  <Table.Th>Encrypted</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {snapshot.files.map((file) => (
                  <Table.Tr key={file.filename}>
                    <Table.Td ff="monospace">{file.filename}</Table.Td>
                    <Table.Td>
                      <ByteSize bytes={file.size} />
                    </Table.Td>
                    <Table.Td>
                      <CryptBadge mode={file.cryptMode} />
                    </Table.Td>
                    <Table.Td>
                      <RowMenu
                        label={`Actions for archive ${file.filename}`}
                        actions={archiveActions(snapshot, file)}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Notes
              store={store}
              ns={ns}
              snapshot={snapshot}
              onEdit={() => onEditNotes(snapshot)}
              canEdit={snapshotActions.some((a) => a.label === 'Edit notes…')}
            />
          </>
        )}
      </Stack>
    </Drawer>
  );
}
