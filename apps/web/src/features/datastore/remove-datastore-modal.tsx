import { Alert, Checkbox, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ConfirmModal } from '../../components/confirm-modal';
import { taskPath } from '../../lib/task-search';
import { useTRPC } from '../../lib/trpc';
import { useInvalidateDatastores } from '../../lib/use-datastores';

export interface RemoveDatastoreModalProps {
  store: string;
  digest: string | undefined;
  opened: boolean;
  onClose: () => void;
}

/**
 * PBS's SafeDestroy: type the datastore's name to confirm; optionally destroy all its data and
 * keep its job configs and permissions. Removal runs as a task; its page opens.
 */
export function RemoveDatastoreModal({ store, digest, opened, onClose }: RemoveDatastoreModalProps) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const invalidate = useInvalidateDatastores();
  const [typed, setTyped] = useState('');
  const [destroyData, setDestroyData] = useState(false);
  const [keepJobConfigs, setKeepJobConfigs] = useState(false);
  const remove = useMutation(
    trpc.datastore.remove.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: async ({ taskId }) => {
        await invalidate();
        void navigate(taskPath(taskId));
      },
    }),
  );
  const close = () => {
    remove.reset();
    setTyped('');
    setDestroyData(false);
    setKeepJobConfigs(false);
    onClose();
  };
  return (
    <ConfirmModal
      opened={opened}
      onClose={close}
      title={`Remove datastore ${store}`}
      confirmLabel="Remove datastore"
      confirmDisabled={typed !== store}
      loading={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate({ name: store, destroyData, keepJobConfigs, digest })}
    >
      <Stack>
        <Text>
          Remove the datastore <strong>{store}</strong> from the configuration? Backups stored in it can no
          longer be used from this server.
        </Text>
        <Checkbox
          label="Destroy all data"
          description="Also delete every chunk, index and snapshot on disk. This cannot be undone."
          checked={destroyData}
          onChange={(e) => setDestroyData(e.currentTarget.checked)}
        />
        {destroyData && (
          <Alert color="red" icon={<IconAlertTriangle />} title="All backups will be lost">
            The datastore&apos;s directory and everything in it are deleted.
          </Alert>
        )}
        <Checkbox
          label="Keep job configs"
          description="Leave this datastore's prune and verify jobs and its permissions in place"
          checked={keepJobConfigs}
          onChange={(e) => setKeepJobConfigs(e.currentTarget.checked)}
        />
        <TextInput
          label="Type the datastore name to confirm"
          placeholder={store}
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          autoComplete="off"
          data-autofocus
        />
      </Stack>
    </ConfirmModal>
  );
}
