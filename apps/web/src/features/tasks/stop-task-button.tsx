import { Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlayerStop } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ConfirmModal } from '../../components/confirm-modal';
import { useTRPC } from '../../lib/trpc';

export function StopTaskButton({ upid, title }: { upid: string; title: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [opened, modal] = useDisclosure(false);
  const stop = useMutation(
    trpc.task.stop.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: async () => {
        modal.close();
        await queryClient.invalidateQueries({ queryKey: trpc.task.get.queryKey({ upid }) });
      },
    }),
  );
  return (
    <>
      <Button color="red" variant="light" leftSection={<IconPlayerStop size={16} />} onClick={modal.open}>
        Stop
      </Button>
      <ConfirmModal
        opened={opened}
        onClose={() => {
          stop.reset();
          modal.close();
        }}
        title="Stop task"
        confirmLabel="Stop task"
        onConfirm={() => stop.mutate({ upid })}
        loading={stop.isPending}
        error={stop.error}
      >
        {`Stop the task '${title}'? It is asked to abort and will end with an error status.`}
      </ConfirmModal>
    </>
  );
}
