import { Button, Checkbox, Group, Loader, Modal, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import {
  IconBook,
  IconEdit,
  IconPlayerEject,
  IconListSearch,
  IconPlus,
  IconRefresh,
  IconTag,
  IconTrash,
} from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { DriveListItem, MediaIdFlat } from '@pbs/api-types';
import { ConfirmModal } from '../../components/confirm-modal';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { RowActions, type RowAction } from '../../components/row-actions';
import { formatBytes, formatEpoch } from '../../lib/format';
import { DriveModal, type DriveModalProps } from './device-modals';
import type { ActionHandle, Loaded } from './handles';
import {
  LabelMediaModal,
  UpdateInventoryModal,
  type LabelMediaInput,
  type UpdateInventoryInput,
} from './media-dialogs';

export interface DrivesViewProps {
  drives: Loaded<{ digest: string; items: DriveListItem[] }>;
  changers: string[];
  pools: string[];
  mayModify: boolean;
  mayWrite: boolean;
  create: DriveModalProps['create'];
  update: DriveModalProps['update'];
  remove: ActionHandle<{ name: string; digest?: string }>;
  label: ActionHandle<LabelMediaInput>;
  updateInventory: ActionHandle<UpdateInventoryInput>;
  eject: ActionHandle<{ drive: string }>;
  catalog: ActionHandle<{ drive: string; force?: boolean; scan?: boolean }>;
  /** the labels on the loaded tape; null when it has none */
  readLabel: (drive: string) => Promise<MediaIdFlat | null>;
}

type Dialog =
  | { kind: 'edit'; drive: DriveListItem | null }
  | { kind: 'remove' | 'label' | 'inventory' | 'catalog' | 'read-label'; drive: DriveListItem };

function ReadLabelModal({
  drive,
  read,
  onClose,
}: {
  drive: string;
  read: DrivesViewProps['readLabel'];
  onClose: () => void;
}) {
  const [state, setState] = useState<{ done: boolean; label: MediaIdFlat | null; error: unknown }>({
    done: false,
    label: null,
    error: null,
  });
  useEffect(() => {
    let live = true;
    read(drive).then(
      (label) => live && setState({ done: true, label, error: null }),
      (error: unknown) => live && setState({ done: true, label: null, error }),
    );
    return () => {
      live = false;
    };
  }, [drive, read]);
  const rows: [string, string][] =
    state.label === null
      ? []
      : [
          ['Label', state.label.labelText],
          ['UUID', state.label.uuid],
          ['Labeled', formatEpoch(state.label.ctime)],
          ['Pool', state.label.pool ?? 'none (free media)'],
          ['Media set', state.label.mediaSetUuid ?? ''],
          ['Sequence number', state.label.seqNr === undefined ? '' : String(state.label.seqNr)],
          ['Encryption key', state.label.encryptionKeyFingerprint ?? 'none'],
        ];
  return (
    <Modal opened onClose={onClose} title={`Label of the tape in drive ${drive}`} size="lg">
      <Stack>
        {!state.done && <Loader aria-label="Reading the label" />}
        {state.error != null && <ErrorAlert error={state.error} />}
        {state.done && state.error == null && state.label === null && (
          <Text>The tape in the drive has no label.</Text>
        )}
        {rows.length > 0 && (
          <Table aria-label="Media label">
            <Table.Tbody>
              {rows.map(([k, v]) => (
                <Table.Tr key={k}>
                  <Table.Th>{k}</Table.Th>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{v}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Group justify="flex-end">
          <Button onClick={onClose}>Close</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Drives: what is loaded and where the tape stands; label, read label, inventory, eject, catalog. */
export function DrivesView(props: DrivesViewProps) {
  const { drives, changers, pools, mayModify, mayWrite } = props;
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [force, setForce] = useState(false);
  const names = (drives.data?.items ?? []).map((d) => d.name);
  const close = () => {
    for (const h of [
      props.create,
      props.update,
      props.remove,
      props.label,
      props.updateInventory,
      props.catalog,
    ])
      h.reset();
    setForce(false);
    setDialog(null);
  };
  const actions = (d: DriveListItem): RowAction[] => {
    const list: RowAction[] = [];
    const open = (kind: 'label' | 'inventory' | 'catalog' | 'read-label') => () =>
      setDialog({ kind, drive: d });
    if (mayWrite) {
      list.push({
        label: `Label media in drive ${d.name}`,
        icon: <IconTag size={16} />,
        onClick: open('label'),
      });
      list.push({
        label: `Read label in drive ${d.name}`,
        icon: <IconListSearch size={16} />,
        onClick: open('read-label'),
      });
      list.push({
        label: `Update inventory with drive ${d.name}`,
        icon: <IconRefresh size={16} />,
        onClick: open('inventory'),
      });
      list.push({
        label: `Catalog media in drive ${d.name}`,
        icon: <IconBook size={16} />,
        onClick: open('catalog'),
      });
      list.push({
        label: `Eject media from drive ${d.name}`,
        icon: <IconPlayerEject size={16} />,
        onClick: () => props.eject.mutate({ drive: d.name }),
      });
    }
    if (mayModify) {
      list.push({
        label: `Edit tape drive ${d.name}`,
        icon: <IconEdit size={16} />,
        onClick: () => setDialog({ kind: 'edit', drive: d }),
      });
      list.push({
        label: `Remove tape drive ${d.name}`,
        icon: <IconTrash size={16} />,
        color: 'red',
        onClick: () => setDialog({ kind: 'remove', drive: d }),
      });
    }
    return list;
  };
  const columns: Column<DriveListItem>[] = [
    { key: 'name', header: 'Drive', render: (d) => d.name },
    {
      key: 'changer',
      header: 'Changer',
      render: (d) =>
        d.changer === undefined ? 'standalone' : `${d.changer} (drive ${d.changerDrivenum ?? 0})`,
    },
    {
      key: 'loaded',
      header: 'Loaded media',
      render: (d) =>
        d.loaded === undefined ? (
          <Text c="dimmed" size="sm">
            unknown
          </Text>
        ) : d.loaded === null ? (
          <Text c="dimmed" size="sm">
            empty
          </Text>
        ) : (
          d.loaded
        ),
    },
    {
      key: 'position',
      header: 'Position',
      width: 100,
      render: (d) => (d.position === undefined || d.position === null ? '' : `file ${d.position}`),
    },
    {
      key: 'capacity',
      header: 'Tape capacity',
      width: 120,
      // a drive in a changer writes the changer's tapes, whose capacity the changer sets
      render: (d) =>
        d.maxSize !== undefined
          ? formatBytes(d.maxSize)
          : d.changer !== undefined
            ? "changer's"
            : formatBytes(64 * 1024 * 1024),
    },
    { key: 'path', header: 'Directory', render: (d) => d.path },
    {
      key: 'actions',
      header: <VisuallyHidden>Actions</VisuallyHidden>,
      width: 260,
      render: (d) => <RowActions actions={actions(d)} />,
    },
  ];
  const digest = drives.data?.digest ?? '';
  return (
    <Stack gap="sm" component="section" aria-label="Tape drives">
      <Group justify="flex-end">
        {mayModify && (
          <Button
            size="xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => setDialog({ kind: 'edit', drive: null })}
          >
            Add tape drive
          </Button>
        )}
      </Group>
      {drives.error != null && <ErrorAlert error={drives.error} onRetry={drives.retry} />}
      {props.eject.error != null && <ErrorAlert error={props.eject.error} title="Eject failed" />}
      <DataTable
        label="Tape drives"
        columns={columns}
        rows={drives.data?.items ?? []}
        rowKey={(d) => d.name}
        loading={drives.loading}
        minWidth={1000}
        empty="No tape drives. Add a virtual drive (files in a directory) to write tapes."
      />
      {dialog?.kind === 'edit' && (
        <DriveModal
          drive={dialog.drive}
          digest={digest}
          changers={changers}
          create={props.create}
          update={props.update}
          onClose={close}
        />
      )}
      {dialog?.kind === 'label' && (
        <LabelMediaModal
          drives={names}
          drive={dialog.drive.name}
          pools={pools}
          label={props.label}
          onClose={close}
        />
      )}
      {dialog?.kind === 'inventory' && (
        <UpdateInventoryModal
          drives={names}
          drive={dialog.drive.name}
          update={props.updateInventory}
          onClose={close}
        />
      )}
      {dialog?.kind === 'read-label' && (
        <ReadLabelModal drive={dialog.drive.name} read={props.readLabel} onClose={close} />
      )}
      {dialog?.kind === 'catalog' && (
        <ConfirmModal
          opened
          onClose={close}
          title={`Catalog media in drive ${dialog.drive.name}`}
          confirmLabel="Catalog media"
          danger={false}
          loading={props.catalog.isPending}
          error={props.catalog.error}
          onConfirm={() =>
            props.catalog.mutate(
              { drive: dialog.drive.name, force: force || undefined },
              { onSuccess: close },
            )
          }
        >
          <Stack>
            <Text>Read the whole tape in the drive and rebuild its media catalog on the server.</Text>
            <Checkbox
              label="Rebuild an existing catalog"
              checked={force}
              onChange={(e) => setForce(e.currentTarget.checked)}
            />
          </Stack>
        </ConfirmModal>
      )}
      {dialog?.kind === 'remove' && (
        <ConfirmModal
          opened
          onClose={close}
          title="Remove tape drive"
          confirmLabel="Remove tape drive"
          loading={props.remove.isPending}
          error={props.remove.error}
          onConfirm={() => props.remove.mutate({ name: dialog.drive.name, digest }, { onSuccess: close })}
        >
          {`Remove the drive '${dialog.drive.name}' from the configuration? Its tapes are not touched.`}
        </ConfirmModal>
      )}
    </Stack>
  );
}
