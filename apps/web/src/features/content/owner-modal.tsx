import { Autocomplete, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { ChangeOwnerInputSchema, type GroupItem } from '@pbs/api-types';
import { FormError } from '../../components/form-error';
import { groupKey } from '../../lib/datastore-paths';
import { serverFieldErrors, validateAsInput } from '../../lib/form';
import { useTRPC } from '../../lib/trpc';
import { useUserList } from '../../lib/use-access';
import { useInvalidateContent } from './use-content-actions';

/** Change the owner of a backup group: the user or token that may back up into it. */
export function ChangeOwnerModal({
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
  const users = useUserList();
  const invalidate = useInvalidateContent();
  const ref = { type: group.type, id: group.id };
  const toInput = (v: { newOwner: string }) => ({ store, ns, group: ref, newOwner: v.newOwner.trim() });
  const form = useForm({
    initialValues: { newOwner: group.owner ?? '' },
    validate: validateAsInput(ChangeOwnerInputSchema, toInput),
  });
  const change = useMutation(
    trpc.group.changeOwner.mutationOptions({
      meta: { handlesErrors: true },
      onError: (err) => form.setErrors(serverFieldErrors(err, ['newOwner']).errors),
      onSuccess: async () => {
        await invalidate();
        onClose();
      },
    }),
  );
  const choices = (users.data?.items ?? []).flatMap((u) => [u.userid, ...u.tokens.map((t) => t.tokenid)]);
  return (
    <Modal opened onClose={onClose} title={`Change owner of ${groupKey(group)}`}>
      <form noValidate onSubmit={form.onSubmit((v) => change.mutate(toInput(v)))}>
        <Stack>
          <Text size="sm" c="dimmed">
            Current owner: {group.owner ?? 'none'}
          </Text>
          <Autocomplete
            label="New owner"
            description="A user (name@realm) or API token (name@realm!token)"
            data={choices}
            required
            data-autofocus
            {...form.getInputProps('newOwner')}
          />
          {change.error !== null && !serverFieldErrors(change.error, ['newOwner']).placed && (
            <FormError error={change.error} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={change.isPending}>
              Change owner
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
