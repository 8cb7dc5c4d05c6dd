import { Alert, Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import { PasswordSchema } from '@pbs/api-types';
import { toAppError } from '../../lib/errors';
import { serverFieldErrors, zodValidate } from '../../lib/form';
import { useTRPC } from '../../lib/trpc';

const ChangePasswordFormSchema = z
  .object({
    current: z.string().min(1, 'enter your current password'),
    password: PasswordSchema,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { message: 'the passwords do not match', path: ['confirm'] });
type ChangePasswordForm = z.infer<typeof ChangePasswordFormSchema>;

const FIELDS = ['current', 'password', 'confirm'] as const;

export interface ChangePasswordModalProps {
  opened: boolean;
  onClose: () => void;
  userid: string;
}

/** The caller changes its own password, confirming the current one. */
export function ChangePasswordModal({ opened, onClose, userid }: ChangePasswordModalProps) {
  const trpc = useTRPC();
  const form = useForm<ChangePasswordForm>({
    initialValues: { current: '', password: '', confirm: '' },
    validate: zodValidate(ChangePasswordFormSchema),
    validateInputOnBlur: true,
  });
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: () => {
        notifications.show({ color: 'green', message: 'Password changed' });
        close();
      },
      onError: (err) =>
        form.setErrors(serverFieldErrors(err, FIELDS, { confirmationPassword: 'current' }).errors),
    }),
  );
  const close = () => {
    form.reset();
    change.reset();
    onClose();
  };
  const unplaced =
    change.error !== null &&
    !serverFieldErrors(change.error, FIELDS, { confirmationPassword: 'current' }).placed;

  return (
    <Modal opened={opened} onClose={close} title="Change password">
      <form
        noValidate
        onSubmit={form.onSubmit((v) =>
          change.mutate({ userid, password: v.password, confirmationPassword: v.current }),
        )}
      >
        <Stack>
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            data-autofocus
            {...form.getInputProps('current')}
          />
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label="Confirm new password"
            autoComplete="new-password"
            required
            {...form.getInputProps('confirm')}
          />
          {unplaced && (
            <Alert color="red" role="alert">
              {toAppError(change.error).message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
