import { Button, Checkbox, Group, Modal, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { CreateNamespaceInputSchema, MoveNamespaceInputSchema } from '@pbs/api-types';
import { ConfirmModal } from '../../components/confirm-modal';
import { FormError } from '../../components/form-error';
import { toAppError } from '../../lib/errors';
import { namespaceLabel } from '../../lib/datastore-paths';
import { serverFieldErrors, validateAsInput } from '../../lib/form';
import { useTRPC } from '../../lib/trpc';
import { useTaskNotice } from '../../lib/use-task-notice';
import { useWhenTaskEnds } from '../../lib/use-when-task-ends';
import { useInvalidateContent } from './use-content-actions';

interface NsModalProps {
  store: string;
  ns: string;
  onClose: () => void;
  /** after success: where the view should go (the new, moved or parent namespace) */
  onDone: (ns: string) => void;
}

/** Add a namespace below the current one. */
export function AddNamespaceModal({ store, ns, onClose, onDone }: NsModalProps) {
  const trpc = useTRPC();
  const invalidate = useInvalidateContent();
  const toInput = (v: { name: string }) => ({ store, parent: ns, name: v.name.trim() });
  const form = useForm({
    initialValues: { name: '' },
    validate: validateAsInput(CreateNamespaceInputSchema, toInput),
  });
  const create = useMutation(
    trpc.namespace.create.mutationOptions({
      meta: { handlesErrors: true },
      onError: (err) => {
        const { errors } = serverFieldErrors(err, ['name']);
        if (toAppError(err).code === 'ALREADY_EXISTS') errors.name = toAppError(err).message;
        form.setErrors(errors);
      },
      onSuccess: async (created) => {
        await invalidate();
        onDone(created.ns);
      },
    }),
  );
  const placed =
    create.error !== null &&
    (serverFieldErrors(create.error, ['name']).placed || toAppError(create.error).code === 'ALREADY_EXISTS');
  return (
    <Modal opened onClose={onClose} title="Add namespace">
      <form noValidate onSubmit={form.onSubmit((v) => create.mutate(toInput(v)))}>
        <Stack>
          <Text size="sm" c="dimmed">
            Below {namespaceLabel(ns)}.
          </Text>
          <TextInput label="Namespace name" required data-autofocus {...form.getInputProps('name')} />
          {create.error !== null && !placed && <FormError error={create.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Add namespace
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Remove a namespace: empty ones only, or with every group in it ("delete all groups"). */
export function RemoveNamespaceModal({
  store,
  ns,
  onClose,
  onDone,
  parent,
}: NsModalProps & { parent: string }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateContent();
  const [deleteGroups, setDeleteGroups] = useState(false);
  const remove = useMutation(
    trpc.namespace.remove.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: async ({ removedAll }) => {
        if (!removedAll) {
          notifications.show({
            color: 'yellow',
            title: `Namespace ${ns} partly kept`,
            message: 'Protected snapshots were kept, so the namespace (or part of it) remains.',
          });
        }
        await invalidate();
        onDone(parent);
      },
    }),
  );
  return (
    <ConfirmModal
      opened
      onClose={onClose}
      title="Remove namespace"
      confirmLabel="Remove namespace"
      loading={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate({ store, ns, deleteGroups })}
    >
      <Stack>
        <Text>
          Remove the namespace &apos;{ns}&apos; and its sub-namespaces from {store}?
        </Text>
        <Checkbox
          label="Delete all groups"
          description="Also remove every backup group and snapshot in it (protected snapshots are kept)"
          checked={deleteGroups}
          onChange={(e) => setDeleteGroups(e.currentTarget.checked)}
        />
      </Stack>
    </ConfirmModal>
  );
}

/** Move (rename) a namespace with everything below it. */
export function MoveNamespaceModal({ store, ns, onClose, onDone }: NsModalProps) {
  const trpc = useTRPC();
  const invalidate = useInvalidateContent();
  const notice = useTaskNotice();
  const whenTaskEnds = useWhenTaskEnds();
  type Values = { targetNs: string; deleteSource: boolean; mergeGroups: boolean };
  const toInput = (v: Values) => ({
    store,
    ns,
    targetNs: v.targetNs.trim(),
    deleteSource: v.deleteSource,
    mergeGroups: v.mergeGroups,
  });
  const form = useForm<Values>({
    initialValues: { targetNs: ns, deleteSource: true, mergeGroups: true },
    validate: validateAsInput(MoveNamespaceInputSchema, toInput, {}, (v) => ({
      targetNs: v.targetNs.trim() === ns ? 'choose a different path' : null,
    })),
  });
  const move = useMutation(
    trpc.namespace.move.mutationOptions({
      meta: { handlesErrors: true },
      onError: (err) => form.setErrors(serverFieldErrors(err, ['targetNs']).errors),
      onSuccess: ({ taskId }, input) => {
        notice(`Moving namespace ${ns} to ${input.targetNs}`, taskId);
        // the view follows the namespace to its new place once the move task has ended
        whenTaskEnds(taskId, async () => {
          await invalidate();
          onDone(input.targetNs);
        });
        onClose();
      },
    }),
  );
  return (
    <Modal opened onClose={onClose} title={`Move namespace ${ns}`}>
      <form noValidate onSubmit={form.onSubmit((v) => move.mutate(toInput(v)))}>
        <Stack>
          <TextInput
            label="New path"
            description="The full namespace path, e.g. dept/archive"
            required
            data-autofocus
            {...form.getInputProps('targetNs')}
          />
          <Checkbox
            label="Merge groups"
            description="Groups that already exist in the target take the moved snapshots (same owner, only older snapshots there)"
            {...form.getInputProps('mergeGroups', { type: 'checkbox' })}
          />
          <Checkbox
            label="Delete the source namespace"
            description="Remove the emptied namespaces after the move"
            {...form.getInputProps('deleteSource', { type: 'checkbox' })}
          />
          {move.error !== null && !serverFieldErrors(move.error, ['targetNs']).placed && (
            <FormError error={move.error} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={move.isPending}>
              Move namespace
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** PBS's "Verify All": every snapshot of the namespace (and below), as one task. */
export function VerifyNamespaceModal({
  store,
  ns,
  onClose,
}: {
  store: string;
  ns: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const notice = useTaskNotice();
  const invalidate = useInvalidateContent();
  const form = useForm<{
    ignoreVerified: boolean;
    outdatedAfter: number | string;
    maxDepth: number | string;
  }>({
    initialValues: { ignoreVerified: true, outdatedAfter: '', maxDepth: '' },
  });
  const verify = useMutation(
    trpc.verify.run.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: async ({ taskId }) => {
        notice(`Verification of ${namespaceLabel(ns)} started`, taskId);
        onClose();
        await invalidate();
      },
    }),
  );
  return (
    <Modal opened onClose={onClose} title={`Verify ${namespaceLabel(ns)}`}>
      <form
        noValidate
        onSubmit={form.onSubmit((v) =>
          verify.mutate({
            store,
            ns,
            ignoreVerified: v.ignoreVerified,
            ...(typeof v.outdatedAfter === 'number' ? { outdatedAfter: v.outdatedAfter } : {}),
            ...(typeof v.maxDepth === 'number' ? { maxDepth: v.maxDepth } : {}),
          }),
        )}
      >
        <Stack>
          <Checkbox
            label="Skip verified snapshots"
            {...form.getInputProps('ignoreVerified', { type: 'checkbox' })}
          />
          <NumberInput
            label="Re-verify after (days)"
            placeholder="never"
            min={0}
            allowDecimal={false}
            disabled={!form.values.ignoreVerified}
            {...form.getInputProps('outdatedAfter')}
          />
          <NumberInput
            label="Max. depth"
            placeholder="full depth"
            min={0}
            max={7}
            allowDecimal={false}
            {...form.getInputProps('maxDepth')}
          />
          {verify.error !== null && <FormError error={verify.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={verify.isPending} data-autofocus>
              Verify
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
