import { Button, Checkbox, Group, Modal, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import {
  CreateTokenInputSchema,
  splitAuthId,
  UpdateTokenInputSchema,
  type ApiToken,
  type CreateTokenInput,
  type CreateTokenOutput,
  type UpdateTokenInput,
} from '@pbs/api-types';
import { FormError } from '../../components/form-error';
import { toAppError } from '../../lib/errors';
import { serverFieldErrors, validateAsInput } from '../../lib/form';
import { dateToEpoch, epochToDate } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { ExpireInput } from './expire-input';
import { useInvalidateAccess } from '../../lib/use-access';

interface TokenFormValues {
  userid: string;
  tokenName: string;
  comment: string;
  enable: boolean;
  expire: string | null;
}

const FIELDS = ['userid', 'tokenName', 'comment', 'enable', 'expire'];

function toCreateInput(v: TokenFormValues): CreateTokenInput {
  return {
    userid: v.userid,
    tokenName: v.tokenName.trim(),
    comment: v.comment.trim() === '' ? undefined : v.comment.trim(),
    enable: v.enable,
    expire: dateToEpoch(v.expire) ?? 0,
  };
}

function toUpdateInput(token: ApiToken, digest: string, v: TokenFormValues): UpdateTokenInput {
  return {
    tokenid: token.tokenid,
    digest,
    comment: v.comment.trim(),
    enable: v.enable,
    expire: dateToEpoch(v.expire) ?? 0,
  };
}

export interface TokenFormModalProps {
  /** null adds a token */
  token: ApiToken | null;
  /** users the caller may create tokens for */
  userids: string[];
  defaultUserid: string;
  digest: string;
  onClose: () => void;
  /** a new token's secret, to show once */
  onCreated: (created: CreateTokenOutput) => void;
}

/** Add an API token (user, name, comment, enabled, expiry) or edit one. */
export function TokenFormModal(props: TokenFormModalProps) {
  const { token, userids, defaultUserid, digest, onClose, onCreated } = props;
  const trpc = useTRPC();
  const invalidate = useInvalidateAccess();
  const isNew = token === null;
  const parts = token === null ? null : splitAuthId(token.tokenid);
  const form = useForm<TokenFormValues>({
    initialValues: {
      userid: parts?.user ?? defaultUserid,
      tokenName: parts?.token ?? '',
      comment: token?.comment ?? '',
      enable: token?.enable ?? true,
      expire: token === null ? null : epochToDate(token.expire),
    },
    validate: isNew
      ? validateAsInput(CreateTokenInputSchema, toCreateInput)
      : validateAsInput(UpdateTokenInputSchema, (v: TokenFormValues) => toUpdateInput(token, digest, v)),
  });
  const onError = (err: unknown) => {
    const { errors } = serverFieldErrors(err, FIELDS);
    if (toAppError(err).code === 'ALREADY_EXISTS') errors.tokenName = toAppError(err).message;
    form.setErrors(errors);
  };
  const create = useMutation(
    trpc.token.create.mutationOptions({
      meta: { handlesErrors: true },
      onError,
      onSuccess: async (created) => {
        await invalidate();
        onCreated(created);
      },
    }),
  );
  const update = useMutation(
    trpc.token.update.mutationOptions({
      meta: { handlesErrors: true },
      onError,
      onSuccess: async () => {
        await invalidate();
        onClose();
      },
    }),
  );
  const mutation = isNew ? create : update;
  const formLevelError =
    mutation.error !== null &&
    toAppError(mutation.error).code !== 'ALREADY_EXISTS' &&
    !serverFieldErrors(mutation.error, FIELDS).placed;

  return (
    <Modal
      opened
      onClose={onClose}
      title={isNew ? 'Add API token' : `Edit API token ${token.tokenid}`}
      size="lg"
    >
      <form
        noValidate
        onSubmit={form.onSubmit((v) =>
          isNew ? create.mutate(toCreateInput(v)) : update.mutate(toUpdateInput(token, digest, v)),
        )}
      >
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="User"
              data={userids}
              searchable
              allowDeselect={false}
              disabled={!isNew}
              required
              {...form.getInputProps('userid')}
            />
            <TextInput
              label="Token name"
              required
              disabled={!isNew}
              data-autofocus
              {...form.getInputProps('tokenName')}
            />
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
              {isNew ? 'Add token' : 'Save'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
