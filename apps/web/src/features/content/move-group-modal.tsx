import { Button, Checkbox, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import { MoveGroupInputSchema, type GroupItem } from '@pbs/api-types';
import { FormError } from '../../components/form-error';
import { groupKey, namespaceLabel } from '../../lib/datastore-paths';
import { serverFieldErrors, validateAsInput } from '../../lib/form';
import { useTRPC } from '../../lib/trpc';
import { useTaskNotice } from '../../lib/use-task-notice';
import { useWhenTaskEnds } from '../../lib/use-when-task-ends';
import { useInvalidateContent } from './use-content-actions';

/** Move a backup group (with all its snapshots) to another namespace of the same datastore. */
export function MoveGroupModal({
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
  const namespaces = useQuery(trpc.namespace.list.queryOptions({ store, parent: '', maxDepth: 7 }));
  const ref = { type: group.type, id: group.id };
  const notice = useTaskNotice();
  const whenTaskEnds = useWhenTaskEnds();
  type Values = { targetNs: string | null; mergeGroup: boolean };
  const toInput = (v: Values) => ({
    store,
    ns,
    group: ref,
    targetNs: v.targetNs ?? '',
    mergeGroup: v.mergeGroup,
  });
  const form = useForm<Values>({
    initialValues: { targetNs: null, mergeGroup: true },
    validate: validateAsInput(MoveGroupInputSchema, toInput, {}, (v) => ({
      targetNs:
        v.targetNs === null
          ? 'choose the target namespace'
          : v.targetNs === ns
            ? 'the group is already here'
            : null,
    })),
  });
  const move = useMutation(
    trpc.group.move.mutationOptions({
      meta: { handlesErrors: true },
      onError: (err) => form.setErrors(serverFieldErrors(err, ['targetNs']).errors),
      onSuccess: ({ taskId }, input) => {
        notice(`Moving ${groupKey(group)} to ${namespaceLabel(input.targetNs)}`, taskId);
        whenTaskEnds(taskId, invalidate);
        onClose();
      },
    }),
  );
  const options = (namespaces.data ?? [])
    .filter((item) => item.ns !== ns)
    .map((item) => ({ value: item.ns, label: namespaceLabel(item.ns) }));
  return (
    <Modal opened onClose={onClose} title={`Move ${groupKey(group)}`}>
      <form noValidate onSubmit={form.onSubmit((v) => move.mutate(toInput(v)))}>
        <Stack>
          <Text size="sm" c="dimmed">
            From {namespaceLabel(ns)}. All snapshots of the group move with it.
          </Text>
          <Select
            label="Target namespace"
            data={options}
            searchable
            required
            nothingFoundMessage={namespaces.isPending ? 'Loading…' : 'No other namespace'}
            data-autofocus
            {...form.getInputProps('targetNs')}
          />
          <Checkbox
            label="Merge into an existing group"
            description="If the target already has this group (same owner, only older snapshots), add the snapshots to it"
            {...form.getInputProps('mergeGroup', { type: 'checkbox' })}
          />
          {move.error !== null && !serverFieldErrors(move.error, ['targetNs']).placed && (
            <FormError error={move.error} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={move.isPending}>
              Move group
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
