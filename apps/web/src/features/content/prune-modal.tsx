import { Badge, Button, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { KeepOptionsSchema, type GroupRef, type PruneMarkItem } from '@pbs/api-types';
import { ConfirmModal } from '../../components/confirm-modal';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { KeepOptionsFields } from '../../components/keep-options-fields';
import { PRUNE_MARK_COLORS } from '../../components/task-state-colors';
import { groupKey, snapshotName } from '../../lib/datastore-paths';
import { formatEpoch } from '../../lib/format';
import { validateAsInput } from '../../lib/form';
import { keepOptionsOf, keepValuesOf, type KeepKey, type KeepValues } from '../../lib/keep-options';
import { useTRPC } from '../../lib/trpc';
import { useTaskNotice } from '../../lib/use-task-notice';
import { useInvalidateContent } from './use-content-actions';

const COLUMNS: Column<PruneMarkItem>[] = [
  { key: 'name', header: 'Snapshot', render: (m) => snapshotName(m) },
  { key: 'time', header: 'Backup time', width: 170, render: (m) => formatEpoch(m.time) },
  {
    key: 'mark',
    header: 'Result',
    width: 120,
    render: (m) => (
      <Badge color={PRUNE_MARK_COLORS[m.mark]} variant="light">
        {m.mark}
      </Badge>
    ),
  },
  { key: 'reason', header: 'Reason', render: (m) => m.reason },
];

export interface PruneModalProps {
  store: string;
  ns: string;
  group: GroupRef;
  onClose: () => void;
}

/**
 * Prune one group: keep options (prefilled from the datastore's), a live dry run marking every
 * snapshot keep or remove with the reason, then prune after a confirmation naming the count.
 */
export function PruneModal(props: PruneModalProps) {
  const trpc = useTRPC();
  const config = useQuery(trpc.datastore.get.queryOptions({ store: props.store }, { staleTime: 60_000 }));
  if (config.isPending) {
    return (
      <Modal opened onClose={props.onClose} title={`Prune ${groupKey(props.group)}`} size="xl">
        <Loader aria-label="Loading keep options" />
      </Modal>
    );
  }
  return <PruneForm {...props} initial={keepValuesOf(config.data?.config)} />;
}

function PruneForm({ store, ns, group, onClose, initial }: PruneModalProps & { initial: KeepValues }) {
  const trpc = useTRPC();
  const notice = useTaskNotice();
  const invalidate = useInvalidateContent();
  const [confirming, setConfirming] = useState(false);
  const form = useForm<KeepValues>({
    initialValues: initial,
    validate: validateAsInput(KeepOptionsSchema, keepOptionsOf),
    validateInputOnChange: true,
  });
  const keep = keepOptionsOf(form.values);
  const [debounced] = useDebouncedValue(keep, 250);
  const valid = KeepOptionsSchema.safeParse(debounced).success;
  const preview = useQuery(
    trpc.prune.preview.queryOptions(
      { store, ns, group, ...debounced },
      { enabled: valid, placeholderData: keepPreviousData, staleTime: 0 },
    ),
  );
  const marks = [...(preview.data ?? [])].sort((a, b) => b.time - a.time);
  const removing = marks.filter((m) => m.mark === 'remove');
  const run = useMutation(
    trpc.prune.run.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: async ({ taskId }) => {
        notice(`Prune of ${groupKey(group)} started`, taskId);
        setConfirming(false);
        onClose();
        await invalidate();
      },
    }),
  );
  const name = groupKey(group);
  return (
    <>
      <Modal opened={!confirming} onClose={onClose} title={`Prune ${name}`} size="xl">
        <Stack>
          <Text size="sm" c="dimmed">
            Snapshots not kept by any rule are removed. Empty fields are unused rules; with no rule, every
            snapshot is kept. Protected snapshots are never removed.
          </Text>
          <KeepOptionsFields inputProps={(key: KeepKey) => form.getInputProps(key)} />
          {preview.isError && <ErrorAlert error={preview.error} onRetry={() => void preview.refetch()} />}
          <Group justify="space-between">
            <Text size="sm" fw={500} aria-live="polite">
              {preview.data === undefined
                ? 'Dry run…'
                : `Dry run: ${marks.length - removing.length} kept, ${removing.length} removed`}
            </Text>
          </Group>
          <DataTable
            label="Prune dry run"
            columns={COLUMNS}
            rows={marks}
            rowKey={(m) => String(m.time)}
            loading={preview.isPending && valid}
            empty="This group has no snapshots."
            maxHeight="40vh"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              color="red"
              disabled={!valid || preview.isFetching || removing.length === 0}
              onClick={() => setConfirming(true)}
            >
              Prune
            </Button>
          </Group>
        </Stack>
      </Modal>
      <ConfirmModal
        opened={confirming}
        onClose={() => {
          run.reset();
          setConfirming(false);
        }}
        title={`Confirm prune of ${name}`}
        confirmLabel={`Remove ${removing.length} snapshot${removing.length === 1 ? '' : 's'}`}
        loading={run.isPending}
        error={run.error}
        onConfirm={() => run.mutate({ store, ns, group, ...keep })}
      >
        <Stack gap="xs">
          <Text>
            Remove {removing.length} of the {marks.length} snapshots of {name}? This cannot be undone.
          </Text>
          <Text size="sm" c="dimmed" component="div">
            {removing.slice(0, 5).map((m) => (
              <div key={m.time}>{snapshotName(m)}</div>
            ))}
            {removing.length > 5 && <div>and {removing.length - 5} more</div>}
          </Text>
        </Stack>
      </ConfirmModal>
    </>
  );
}
