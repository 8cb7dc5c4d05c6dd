import { Button, Group, Stack, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { ConfirmModal } from '../../components/confirm-modal';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { actionsColumn, statusColumns, storeColumn, type JobRow } from './job-columns';

export interface MutationHandle<V> {
  mutate: (variables: V, options?: { onSuccess?: () => void }) => void;
  isPending: boolean;
  error: unknown;
  reset: () => void;
}

export interface JobGridProps<T extends JobRow> {
  title: string;
  /** 'prune job', 'verify job': names rows and actions */
  noun: string;
  jobs: readonly T[];
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  /** the type's own columns, between ID (and datastore) and the status columns */
  columns: Column<T>[];
  /** all stores' jobs: a datastore column */
  showStore: boolean;
  mayAdd: boolean;
  mayChange: (job: T) => boolean;
  /** the add (job null) or edit dialog */
  renderForm: (job: T | null, onClose: () => void) => ReactNode;
  remove: MutationHandle<T>;
  run: (job: T) => void;
  empty: string;
}

/** The one job grid: add, edit, remove (with confirmation), run now; last and next run. */
export function JobGrid<T extends JobRow>(props: JobGridProps<T>) {
  const { title, noun, jobs, loading, error, onRetry, columns, showStore, mayAdd, mayChange } = props;
  const { renderForm, remove, run, empty } = props;
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [removing, setRemoving] = useState<T | null>(null);
  const all: Column<T>[] = [
    { key: 'id', header: 'Job ID', render: (job) => job.id },
    ...(showStore ? [storeColumn<T>()] : []),
    ...columns,
    ...statusColumns<T>(noun),
    { key: 'comment', header: 'Comment', render: (job) => job.comment ?? '' },
    actionsColumn<T>(noun, {
      mayChange,
      onEdit: setEditing,
      onRemove: setRemoving,
      onRun: run,
    }),
  ];
  const closeRemove = () => {
    remove.reset();
    setRemoving(null);
  };
  return (
    <Stack gap="sm" component="section" aria-label={title}>
      <Group justify="space-between">
        <Title order={3} size="h4">
          {title}
        </Title>
        {mayAdd && (
          <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setEditing('new')}>
            Add {noun}
          </Button>
        )}
      </Group>
      {error != null && <ErrorAlert error={error} onRetry={onRetry} />}
      <DataTable
        label={title}
        columns={all}
        rows={jobs}
        rowKey={(job) => job.id}
        loading={loading}
        empty={empty}
        minWidth={1000}
        maxHeight="50vh"
      />
      {editing !== null && renderForm(editing === 'new' ? null : editing, () => setEditing(null))}
      <ConfirmModal
        opened={removing !== null}
        onClose={closeRemove}
        title={`Remove ${noun}`}
        confirmLabel={`Remove ${noun}`}
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => removing && remove.mutate(removing, { onSuccess: closeRemove })}
      >
        {`Remove the ${noun} '${removing?.id ?? ''}' of datastore '${removing?.store ?? ''}'? Snapshots are not touched.`}
      </ConfirmModal>
    </Stack>
  );
}
