import { Button, Checkbox, Group, Stack, Text, VisuallyHidden } from '@mantine/core';
import {
  IconEraser,
  IconFlag,
  IconRefresh,
  IconTag,
  IconTrash,
  IconTruckDelivery,
} from '@tabler/icons-react';
import { useState } from 'react';
import type { MediaListEntry } from '@pbs/api-types';
import { ByteSize } from '../../components/byte-size';
import { ConfirmModal } from '../../components/confirm-modal';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { RowActions, type RowAction } from '../../components/row-actions';
import { formatDate } from '../../lib/format';
import type { ActionHandle, Loaded } from './handles';
import {
  FormatMediaModal,
  LabelMediaModal,
  MoveMediaModal,
  SetStatusModal,
  UpdateInventoryModal,
  type SetMediaStatusInput,
  type FormatMediaInput,
  type LabelMediaInput,
  type MoveMediaInput,
  type UpdateInventoryInput,
} from './media-dialogs';
import { formatLocation, MediaStatusBadge } from './media-status';

export interface InventoryViewProps {
  media: Loaded<MediaListEntry[]>;
  drives: string[];
  pools: string[];
  /** Tape.Modify on /tape: move and destroy */
  mayModify: boolean;
  /** Tape.Write on a drive: label, format, update inventory */
  mayWrite: boolean;
  label: ActionHandle<LabelMediaInput>;
  updateInventory: ActionHandle<UpdateInventoryInput>;
  move: ActionHandle<MoveMediaInput>;
  destroy: ActionHandle<{ uuid: string; force?: boolean }>;
  setStatus: ActionHandle<SetMediaStatusInput>;
  format: ActionHandle<FormatMediaInput>;
}

type Dialog =
  | { kind: 'label' }
  | { kind: 'inventory' }
  | { kind: 'move'; media: MediaListEntry }
  | { kind: 'destroy'; media: MediaListEntry }
  | { kind: 'status'; media: MediaListEntry }
  | { kind: 'format'; media: MediaListEntry };

/** Inventory: every medium the server knows, with its pool, media set, status and location. */
export function InventoryView(props: InventoryViewProps) {
  const { media, drives, pools, mayModify, mayWrite } = props;
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [force, setForce] = useState(false);
  const close = () => {
    for (const handle of [
      props.label,
      props.updateInventory,
      props.move,
      props.destroy,
      props.format,
      props.setStatus,
    ])
      handle.reset();
    setForce(false);
    setDialog(null);
  };
  const actions = (m: MediaListEntry): RowAction[] => [
    ...(mayModify
      ? [
          {
            label: `Move media ${m.labelText}`,
            icon: <IconTruckDelivery size={16} />,
            onClick: () => setDialog({ kind: 'move', media: m }),
          },
          {
            label: `Set status of media ${m.labelText}`,
            icon: <IconFlag size={16} />,
            onClick: () => setDialog({ kind: 'status', media: m }),
          },
        ]
      : []),
    ...(mayWrite && drives.length > 0
      ? [
          {
            label: `Format media ${m.labelText}`,
            icon: <IconEraser size={16} />,
            color: 'red',
            onClick: () => setDialog({ kind: 'format', media: m }),
          },
        ]
      : []),
    ...(mayModify
      ? [
          {
            label: `Destroy media ${m.labelText}`,
            icon: <IconTrash size={16} />,
            color: 'red',
            onClick: () => setDialog({ kind: 'destroy', media: m }),
          },
        ]
      : []),
  ];
  const columns: Column<MediaListEntry>[] = [
    { key: 'label', header: 'Label', render: (m) => m.labelText },
    {
      key: 'pool',
      header: 'Pool',
      render: (m) =>
        m.pool ?? (
          <Text c="dimmed" size="sm">
            free
          </Text>
        ),
    },
    {
      key: 'set',
      header: 'Media set',
      render: (m) =>
        m.mediaSetName === undefined
          ? ''
          : `${m.mediaSetName}${m.seqNr !== undefined ? ` (#${m.seqNr})` : ''}`,
    },
    {
      key: 'status',
      header: 'Status',
      width: 130,
      render: (m) => <MediaStatusBadge status={m.status} expired={m.expired} />,
    },
    { key: 'location', header: 'Location', render: (m) => formatLocation(m.location) },
    {
      key: 'expire',
      header: 'Expires',
      width: 110,
      render: (m) =>
        m.expired ? 'expired' : m.expireTime === undefined ? 'never' : formatDate(m.expireTime),
    },
    { key: 'catalog', header: 'Catalog', width: 80, render: (m) => (m.catalog ? 'yes' : 'no') },
    {
      key: 'used',
      header: 'Used',
      width: 100,
      render: (m) => (m.bytesUsed === undefined ? '' : <ByteSize bytes={m.bytesUsed} />),
    },
    {
      key: 'actions',
      header: <VisuallyHidden>Actions</VisuallyHidden>,
      width: 150,
      render: (m) => <RowActions actions={actions(m)} />,
    },
  ];
  return (
    <Stack gap="sm" component="section" aria-label="Media inventory">
      <Group justify="flex-end">
        {mayWrite && (
          <>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconRefresh size={14} />}
              disabled={drives.length === 0}
              onClick={() => setDialog({ kind: 'inventory' })}
            >
              Update inventory
            </Button>
            <Button
              size="xs"
              leftSection={<IconTag size={14} />}
              disabled={drives.length === 0}
              onClick={() => setDialog({ kind: 'label' })}
            >
              Label media
            </Button>
          </>
        )}
      </Group>
      {media.error != null && <ErrorAlert error={media.error} onRetry={media.retry} />}
      <DataTable
        label="Media"
        columns={columns}
        rows={media.data ?? []}
        rowKey={(m) => m.uuid}
        loading={media.loading}
        minWidth={1000}
        empty="No media in the inventory. Label a tape to add it."
      />
      {dialog?.kind === 'label' && (
        <LabelMediaModal drives={drives} pools={pools} label={props.label} onClose={close} />
      )}
      {dialog?.kind === 'inventory' && (
        <UpdateInventoryModal drives={drives} update={props.updateInventory} onClose={close} />
      )}
      {dialog?.kind === 'move' && (
        <MoveMediaModal
          labelText={dialog.media.labelText}
          uuid={dialog.media.uuid}
          move={props.move}
          onClose={close}
        />
      )}
      {dialog?.kind === 'status' && (
        <SetStatusModal
          labelText={dialog.media.labelText}
          uuid={dialog.media.uuid}
          setStatus={props.setStatus}
          onClose={close}
        />
      )}
      {dialog?.kind === 'format' && (
        <FormatMediaModal
          labelText={dialog.media.labelText}
          drives={drives}
          format={props.format}
          onClose={close}
        />
      )}
      {dialog?.kind === 'destroy' && (
        <ConfirmModal
          opened
          onClose={close}
          title={`Destroy media ${dialog.media.labelText}`}
          confirmLabel="Destroy media"
          loading={props.destroy.isPending}
          error={props.destroy.error}
          onConfirm={() =>
            props.destroy.mutate({ uuid: dialog.media.uuid, force: force || undefined }, { onSuccess: close })
          }
        >
          <Stack>
            <Text>
              {`Remove media '${dialog.media.labelText}' and its catalog from the inventory? The tape itself is not erased.`}
            </Text>
            {dialog.media.mediaSetUuid !== undefined && (
              <Checkbox
                label="Also when it belongs to a media set"
                description="The set's other media cannot be restored without it"
                checked={force}
                onChange={(e) => setForce(e.currentTarget.checked)}
              />
            )}
          </Stack>
        </ConfirmModal>
      )}
    </Stack>
  );
}
