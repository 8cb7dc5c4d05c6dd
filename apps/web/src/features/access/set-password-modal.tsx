import { Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { ChangePasswordInputSchema, type ChangePasswordInput } from '@pbs/api-types';
import { FormError } from '../../components/form-error';
import { serverFieldErrors, validateAsInput } from '../../lib/form';
import { useTRPC } from '../../lib/trpc';

interface Values {
  current: string;
  password: string;
  confirm: string;
}

const FIELDS = ['current', 'password', 'confirm'];
const RENAME = { confirmationPassword: 'current' };

export interface SetPasswordModalProps {
  userid: string;
  /** one's own password needs the current one */
  isSelf: boolean;
  onClose: () => void;
}

/** Sets a user's password (an admin with Permissions.Modify, or the user itself). */
export function SetPasswordModal({ userid, isSelf, onClose }: SetPasswordModalProps) {
  const trpc = useTRPC();
  const toInput = (v: Values): ChangePasswordInput => ({
    userid,
    password: v.password,
    ...(isSelf ? { confirmationPassword: v.current } : {}),
  });
  const form = useForm<Values>({
    initialValues: { current: '', password: '', confirm: '' },
    validate: validateAsInput(ChangePasswordInputSchema, toInput, RENAME, (v) => ({
      current: isSelf && v.current === '' ? 'enter your current password' : null,
      confirm: v.password !== v.confirm ? 'the passwords do not match' : null,
    })),
  });
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      meta: { handlesErrors: true },
      onError: (err) => form.setErrors(serverFieldErrors(err, FIELDS, RENAME).errors),
      onSuccess: () => {
        notifications.show({ color: 'green', message: `Password of ${userid} changed` });
        onClose();
      },
    }),
  );
  return (
    <Modal opened onClose={onClose} title={`Change password of ${userid}`}>
      <form noValidate onSubmit={form.onSubmit((v) => change.mutate(toInput(v)))}>
        <Stack>
          {isSelf && (
            <PasswordInput
              label="Current password"
              autoComplete="current-password"
              required
              {...form.getInputProps('current')}
            />
          )}
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            required
            data-autofocus
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label="Confirm new password"
            autoComplete="new-password"
            required
            {...form.getInputProps('confirm')}
          />
          {change.error !== null && !serverFieldErrors(change.error, FIELDS, RENAME).placed && (
            <FormError error={change.error} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
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
