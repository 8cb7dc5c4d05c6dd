import { Button, Checkbox, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { ROLES, UpdateAclInputSchema, type Role, type UpdateAclInput } from '@pbs/api-types';
import { FormError } from '../form-error';
import { serverFieldErrors, validateAsInput } from '../../lib/form';
import { useTRPC } from '../../lib/trpc';
import { useInvalidateAccess } from '../../lib/use-access';

interface AclFormValues {
  path: string;
  authId: string;
  role: Role | '';
  propagate: boolean;
}

const FIELDS = ['path', 'authId', 'role', 'propagate'];
const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: role }));

function toInput(digest: string, v: AclFormValues): UpdateAclInput {
  return { path: v.path.trim(), authId: v.authId, role: v.role as Role, propagate: v.propagate, digest };
}

export interface AclFormModalProps {
  /** users and tokens to choose from */
  authIds: Array<{ group: string; items: string[] }>;
  digest: string;
  /** the path the form starts with (default '/') */
  defaultPath?: string;
  onClose: () => void;
}

/** Add permission: a role for a user or token on an ACL path. */
export function AclFormModal({ authIds, digest, defaultPath = '/', onClose }: AclFormModalProps) {
  const trpc = useTRPC();
  const invalidate = useInvalidateAccess();
  const form = useForm<AclFormValues>({
    initialValues: { path: defaultPath, authId: '', role: '', propagate: true },
    validate: validateAsInput(
      UpdateAclInputSchema,
      (v: AclFormValues) => toInput(digest, v),
      {},
      (v) => ({
        authId: v.authId === '' ? 'choose a user or token' : null,
        role: v.role === '' ? 'choose a role' : null,
      }),
    ),
    validateInputOnBlur: ['path'],
  });
  const add = useMutation(
    trpc.acl.update.mutationOptions({
      meta: { handlesErrors: true },
      onError: (err) => form.setErrors(serverFieldErrors(err, FIELDS).errors),
      onSuccess: async () => {
        await invalidate();
        onClose();
      },
    }),
  );
  return (
    <Modal opened onClose={onClose} title="Add permission">
      <form noValidate onSubmit={form.onSubmit((v) => add.mutate(toInput(digest, v)))}>
        <Stack>
          <TextInput
            label="Path"
            description="'/', or e.g. /datastore/store1, /system, /access"
            required
            data-autofocus
            {...form.getInputProps('path')}
          />
          <Select
            label="User or token"
            data={authIds}
            searchable
            required
            nothingFoundMessage="No such user or token"
            {...form.getInputProps('authId')}
          />
          <Select label="Role" data={ROLE_OPTIONS} searchable required {...form.getInputProps('role')} />
          <Checkbox
            label="Propagate"
            description="Also applies to paths below"
            {...form.getInputProps('propagate', { type: 'checkbox' })}
          />
          {add.error !== null && !serverFieldErrors(add.error, FIELDS).placed && (
            <FormError error={add.error} onReload={() => void invalidate().then(onClose)} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={add.isPending}>
              Add permission
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
