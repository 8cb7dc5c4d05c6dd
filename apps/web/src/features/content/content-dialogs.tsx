import { Progress, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import type { GroupItem, SnapshotItem } from '@pbs/api-types';
import { ConfirmModal } from '../../components/confirm-modal';
import { groupKey, snapshotName } from '../../lib/datastore-paths';
import { useTRPC } from '../../lib/trpc';
import { useInvalidateContent, type BatchKind, type useSnapshotBatch } from './use-content-actions';

const SHOWN = 8;

const TEXT: Record<BatchKind, { verb: string; title: string; danger: boolean; note: string }> = {
  forget: {
    verb: 'Forget',
    title: 'Forget',
    danger: true,
    note: 'Their data is freed by the next garbage collection. This cannot be undone.',
  },
  protect: {
    verb: 'Protect',
    title: 'Protect',
    danger: false,
    note: 'Prune and forget will leave them alone.',
  },
  unprotect: { verb: 'Unprotect', title: 'Unprotect', danger: false, note: 'Prune may remove them again.' },
  verify: {
    verb: 'Verify',
    title: 'Verify',
    danger: false,
    note: 'Each snapshot is verified by its own task, in the background.',
  },
};

export interface BatchConfirmProps {
  kind: BatchKind;
  snapshots: SnapshotItem[];
  batch: ReturnType<typeof useSnapshotBatch>;
  onClose: () => void;
  onDone: () => void;
}

/** The confirm summary of an action on one or many snapshots, naming them, with progress. */
export function BatchConfirm({ kind, snapshots, batch, onClose, onDone }: BatchConfirmProps) {
  const text = TEXT[kind];
  const one = snapshots.length === 1 ? snapshots[0] : undefined;
  const title = one === undefined ? `${text.title} ${snapshots.length} snapshots` : `${text.title} snapshot`;
  return (
    <ConfirmModal
      opened
      onClose={() => {
        if (!batch.isPending) onClose();
      }}
      title={title}
      confirmLabel={one === undefined ? `${text.verb} ${snapshots.length} snapshots` : text.verb}
      danger={text.danger}
      loading={batch.isPending}
      onConfirm={() => batch.mutate({ kind, snapshots }, { onSuccess: onDone })}
    >
      <Stack gap="xs">
        <Text>
          {one === undefined
            ? `${text.verb} these ${snapshots.length} snapshots?`
            : `${text.verb} the snapshot ${snapshotName(one)}?`}
        </Text>
        {one === undefined && (
          <Text size="sm" c="dimmed" component="div" aria-label="Selected snapshots">
            {snapshots.slice(0, SHOWN).map((s) => (
              <div key={snapshotName(s)}>{snapshotName(s)}</div>
            ))}
            {snapshots.length > SHOWN && <div>and {snapshots.length - SHOWN} more</div>}
          </Text>
        )}
        <Text size="sm">{text.note}</Text>
        {batch.progress !== null && (
          <Progress
            value={(batch.progress.done / Math.max(1, batch.progress.total)) * 100}
            aria-label={`${batch.progress.done} of ${batch.progress.total} done`}
          />
        )}
      </Stack>
    </ConfirmModal>
  );
}

/** Remove a whole backup group; protected snapshots (and so the group) are kept. */
export function RemoveGroupConfirm({
  store,
  ns,
  group,
  onClose,
}: {
  store: string;
  ns: string;
  group: GroupItem;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidateContent();
  const remove = useMutation(
    trpc.group.remove.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: async ({ removedSnapshots, protectedKept }) => {
        notifications.show({
          color: protectedKept > 0 ? 'yellow' : 'green',
          title: `Group ${groupKey(group)}`,
          message:
            protectedKept > 0
              ? `${removedSnapshots} snapshots removed; ${protectedKept} protected snapshots kept.`
              : `Removed with its ${removedSnapshots} snapshots.`,
        });
        onClose();
        await invalidate();
      },
    }),
  );
  return (
    <ConfirmModal
      opened
      onClose={onClose}
      title="Remove group"
      confirmLabel="Remove group"
      loading={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate({ store, ns, group: { type: group.type, id: group.id } })}
    >
      {`Remove the group ${groupKey(group)} with all its ${group.backupCount} snapshots? Protected snapshots are kept. This cannot be undone.`}
    </ConfirmModal>
  );
}
