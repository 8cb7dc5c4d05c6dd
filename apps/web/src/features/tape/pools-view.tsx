import { Button, Group, Stack, VisuallyHidden } from '@mantine/core';
import { IconEdit, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { MediaPoolConfig, TapeKeyInfo } from '@pbs/api-types';
import { ConfirmModal } from '../../components/confirm-modal';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { RowActions } from '../../components/row-actions';
import type { ActionHandle, Loaded } from './handles';
import { PoolModal, type PoolModalProps } from './pool-modal';

export interface PoolsViewProps {
  pools: Loaded<{ digest: string; items: MediaPoolConfig[] }>;
  /** tape encryption keys a pool may use */
  keys: TapeKeyInfo[];
  mayModify: boolean;
  create: PoolModalProps['create'];
  update: PoolModalProps['update'];
  remove: ActionHandle<{ name: string; digest?: string }>;
}

/** Media Pools: allocation and retention policy, encryption, media-set naming; add, edit, remove. */
export function PoolsView({ pools, keys, mayModify, create, update, remove }: PoolsViewProps) {
  const [editing, setEditing] = useState<MediaPoolConfig | 'new' | null>(null);
  const [removing, setRemoving] = useState<MediaPoolConfig | null>(null);
  const digest = pools.data?.digest ?? '';
  const columns: Column<MediaPoolConfig>[] = [
    { key: 'name', header: 'Pool', render: (p) => p.name },
    { key: 'allocation', header: 'Allocation', render: (p) => p.allocation ?? 'continue' },
    { key: 'retention', header: 'Retention', render: (p) => p.retention ?? 'keep' },
    { key: 'template', header: 'Media set name', render: (p) => p.template ?? '%c' },
    {
      key: 'encrypt',
      header: 'Encryption key',
      render: (p) => (p.encrypt === undefined ? 'none' : `${p.encrypt.slice(0, 23)}…`),
    },
    { key: 'comment', header: 'Comment', render: (p) => p.comment ?? '' },
    {
      key: 'actions',
      header: <VisuallyHidden>Actions</VisuallyHidden>,
      width: 90,
      render: (p) =>
        mayModify ? (
          <RowActions
            actions={[
              {
                label: `Edit media pool ${p.name}`,
                icon: <IconEdit size={16} />,
                onClick: () => setEditing(p),
              },
              {
                label: `Remove media pool ${p.name}`,
                icon: <IconTrash size={16} />,
                color: 'red',
                onClick: () => setRemoving(p),
              },
            ]}
          />
        ) : null,
    },
  ];
  const closeRemove = () => {
    remove.reset();
    setRemoving(null);
  };
  const closeEdit = () => {
    create.reset();
    update.reset();
    setEditing(null);
  };
  return (
    <Stack gap="sm" component="section" aria-label="Media pools">
      <Group justify="flex-end">
        {mayModify && (
          <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setEditing('new')}>
            Add media pool
          </Button>
        )}
      </Group>
      {pools.error != null && <ErrorAlert error={pools.error} onRetry={pools.retry} />}
      <DataTable
        label="Media pools"
        columns={columns}
        rows={pools.data?.items ?? []}
        rowKey={(p) => p.name}
        loading={pools.loading}
        empty="No media pools. A pool groups tapes into media sets and says when they may be overwritten."
      />
      {editing !== null && (
        <PoolModal
          pool={editing === 'new' ? null : editing}
          digest={digest}
          keys={keys}
          create={create}
          update={update}
          onClose={closeEdit}
        />
      )}
      <ConfirmModal
        opened={removing !== null}
        onClose={closeRemove}
        title="Remove media pool"
        confirmLabel="Remove media pool"
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() =>
          removing && remove.mutate({ name: removing.name, digest }, { onSuccess: closeRemove })
        }
      >
        {`Remove the media pool '${removing?.name ?? ''}'? Its media stay in the inventory.`}
      </ConfirmModal>
    </Stack>
  );
}
