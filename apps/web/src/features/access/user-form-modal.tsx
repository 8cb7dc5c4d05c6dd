import {
  Button,
  Checkbox,
  Group,
  Modal,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import {
  CreateUserInputSchema,
  UpdateUserInputSchema,
  type CreateUserInput,
  type UpdateUserInput,
  type User,
} from '@pbs/api-types';
import { FormError } from '../../components/form-error';
import { toAppError } from '../../lib/errors';
import { serverFieldErrors, validateAsInput } from '../../lib/form';
import { dateToEpoch, epochToDate } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { ExpireInput } from './expire-input';
import { useInvalidateAccess } from '../../lib/use-access';

interface UserFormValues {
  name: string;
  realm: string;
  password: string;
  confirm: string;
  firstname: string;
  lastname: string;
  email: string;
  comment: string;
  enable: boolean;
  expire: string | null;
}

const FIELDS = [
  'name',
  'realm',
  'password',
  'confirm',
  'firstname',
  'lastname',
  'email',
  'comment',
  'enable',
  'expire',
];
const RENAME = { userid: 'name' };
const OPTIONAL_TEXT = ['firstname', 'lastname', 'email', 'comment'] as const;

function toCreateInput(v: UserFormValues): CreateUserInput {
  const input: CreateUserInput = {
    userid: `${v.name.trim()}@${v.realm}`,
    password: v.password,
    enable: v.enable,
    expire: dateToEpoch(v.expire) ?? 0,
  };
  for (const key of OPTIONAL_TEXT) if (v[key].trim() !== '') input[key] = v[key].trim();
  return input;
}

function toUpdateInput(user: User, digest: string, v: UserFormValues): UpdateUserInput {
  const input: UpdateUserInput = {
    userid: user.userid,
    digest,
    enable: v.enable,
    expire: dateToEpoch(v.expire) ?? 0,
  };
  const remove: NonNullable<UpdateUserInput['delete']> = [];
  for (const key of OPTIONAL_TEXT) {
    if (v[key].trim() !== '') input[key] = v[key].trim();
    else if ((user[key] ?? '') !== '') remove.push(key);
  }
  if (remove.length > 0) input.delete = remove;
  return input;
}

export interface UserFormModalProps {
  /** null adds a new user */
  user: User | null;
  digest: string;
  onClose: () => void;
}

/** Add user (name in the 'pbs' realm, password twice) or edit one (names, e-mail, comment, enabled, expiry). */
export function UserFormModal({ user, digest, onClose }: UserFormModalProps) {
  const trpc = useTRPC();
  const invalidate = useInvalidateAccess();
  const isNew = user === null;
  const form = useForm<UserFormValues>({
    initialValues: {
      name: user === null ? '' : user.userid.slice(0, user.userid.lastIndexOf('@')),
      realm: 'pbs',
      password: '',
      confirm: '',
      firstname: user?.firstname ?? '',
      lastname: user?.lastname ?? '',
      email: user?.email ?? '',
      comment: user?.comment ?? '',
      enable: user?.enable ?? true,
      expire: user === null ? null : epochToDate(user.expire),
    },
    validate: isNew
      ? validateAsInput(CreateUserInputSchema, toCreateInput, RENAME, (v) => ({
          confirm: v.password !== v.confirm ? 'the passwords do not match' : null,
        }))
      : validateAsInput(UpdateUserInputSchema, (v: UserFormValues) => toUpdateInput(user, digest, v)),
  });
  const onError = (err: unknown) => {
    const placed = serverFieldErrors(err, FIELDS, RENAME);
    if (toAppError(err).code === 'ALREADY_EXISTS') placed.errors.name = toAppError(err).message;
    form.setErrors(placed.errors);
  };
  const onSuccess = async () => {
    await invalidate();
    onClose();
  };
  const create = useMutation(
    trpc.user.create.mutationOptions({ meta: { handlesErrors: true }, onError, onSuccess }),
  );
  const update = useMutation(
    trpc.user.update.mutationOptions({ meta: { handlesErrors: true }, onError, onSuccess }),
  );
  const mutation = isNew ? create : update;
  const formLevelError =
    mutation.error !== null &&
    toAppError(mutation.error).code !== 'ALREADY_EXISTS' &&
    !serverFieldErrors(mutation.error, FIELDS, RENAME).placed;

  return (
    <Modal opened onClose={onClose} title={isNew ? 'Add user' : `Edit user ${user.userid}`} size="lg">
      <form
        noValidate
        onSubmit={form.onSubmit((v) =>
          isNew ? create.mutate(toCreateInput(v)) : update.mutate(toUpdateInput(user, digest, v)),
        )}
      >
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="User name"
              required
              disabled={!isNew}
              data-autofocus
              {...form.getInputProps('name')}
            />
            <Select
              label="Realm"
              data={[{ value: 'pbs', label: 'pbs' }]}
              disabled
              allowDeselect={false}
              {...form.getInputProps('realm')}
            />
            {isNew && (
              <>
                <PasswordInput
                  label="Password"
                  autoComplete="new-password"
                  required
                  {...form.getInputProps('password')}
                />
                <PasswordInput
                  label="Confirm password"
                  autoComplete="new-password"
                  required
                  {...form.getInputProps('confirm')}
                />
              </>
            )}
            <TextInput label="First name" {...form.getInputProps('firstname')} />
            <TextInput label="Last name" {...form.getInputProps('lastname')} />
            <TextInput label="E-mail" type="email" {...form.getInputProps('email')} />
            <ExpireInput {...form.getInputProps('expire')} />
          </SimpleGrid>
          <TextInput label="Comment" {...form.getInputProps('comment')} />
          <Checkbox label="Enabled" {...form.getInputProps('enable', { type: 'checkbox' })} />
          {formLevelError && (
            <FormError error={mutation.error} onReload={() => void invalidate().then(onClose)} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {isNew ? 'Add user' : 'Save'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
