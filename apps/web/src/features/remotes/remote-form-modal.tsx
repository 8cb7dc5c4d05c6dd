import {
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import {
  CreateRemoteInputSchema,
  UpdateRemoteInputSchema,
  type CreateRemoteInput,
  type FetchFingerprintOutput,
  type Remote,
  type UpdateRemoteInput,
} from '@pbs/api-types';
import { FormError } from '../../components/form-error';
import { serverDialogErrors, validateAsInput } from '../../lib/form';
import { useTRPC } from '../../lib/trpc';
import { FingerprintConfirm } from './fingerprint-confirm';

interface Values {
  name: string;
  host: string;
  port: number | string;
  authId: string;
  password: string;
  fingerprint: string;
  comment: string;
  useNodeProxy: boolean;
}

const FIELDS = ['name', 'host', 'port', 'authId', 'password', 'fingerprint', 'comment', 'useNodeProxy'];

function toCreate(v: Values): CreateRemoteInput {
  const input: CreateRemoteInput = {
    name: v.name.trim(),
    host: v.host.trim(),
    authId: v.authId.trim(),
    password: v.password,
  };
  if (typeof v.port === 'number') input.port = v.port;
  if (v.fingerprint.trim() !== '') input.fingerprint = v.fingerprint.trim();
  if (v.comment.trim() !== '') input.comment = v.comment.trim();
  if (v.useNodeProxy) input.useNodeProxy = true;
  return input;
}

/** Blank password on edit: keep the stored secret; cleared optional fields are deleted. */
function toUpdate(remote: Remote, digest: string, v: Values): UpdateRemoteInput {
  const input: UpdateRemoteInput = {
    name: remote.name,
    digest,
    host: v.host.trim(),
    authId: v.authId.trim(),
  };
  if (v.password !== '') input.password = v.password;
  const remove: NonNullable<UpdateRemoteInput['delete']> = [];
  if (typeof v.port === 'number') input.port = v.port;
  else if (remote.port !== undefined) remove.push('port');
  for (const key of ['fingerprint', 'comment'] as const) {
    const value = v[key].trim();
    if (value !== '') input[key] = value;
    else if (remote[key] !== undefined) remove.push(key);
  }
  if (v.useNodeProxy) input.useNodeProxy = true;
  else if (remote.useNodeProxy !== undefined) remove.push('useNodeProxy');
  if (remove.length > 0) input.delete = remove;
  return input;
}

export interface RemoteFormModalProps {
  /** null: add a remote */
  remote: Remote | null;
  digest: string;
  onClose: () => void;
  onSaved: () => Promise<unknown>;
}

/**
 * Add or edit a remote. The password or token secret is write-only: on edit the field starts
 * blank and stays unchanged unless typed. The fingerprint can be fetched from the host; the
 * admin confirms the certificate before it is filled in.
 */
export function RemoteFormModal({ remote, digest, onClose, onSaved }: RemoteFormModalProps) {
  const trpc = useTRPC();
  const isNew = remote === null;
  const [fetched, setFetched] = useState<FetchFingerprintOutput | null>(null);
  const form = useForm<Values>({
    initialValues: {
      name: remote?.name ?? '',
      host: remote?.host ?? '',
      port: remote?.port ?? '',
      authId: remote?.authId ?? '',
      password: '',
      fingerprint: remote?.fingerprint ?? '',
      comment: remote?.comment ?? '',
      useNodeProxy: remote?.useNodeProxy ?? false,
    },
    validate: isNew
      ? validateAsInput(CreateRemoteInputSchema, toCreate)
      : validateAsInput(UpdateRemoteInputSchema, (v: Values) => toUpdate(remote, digest, v)),
  });
  const onError = (err: unknown) => form.setErrors(serverDialogErrors(err, FIELDS, 'name').errors);
  const done = async () => {
    await onSaved();
    onClose();
  };
  const create = useMutation(
    trpc.remote.create.mutationOptions({ meta: { handlesErrors: true }, onError, onSuccess: done }),
  );
  const update = useMutation(
    trpc.remote.update.mutationOptions({ meta: { handlesErrors: true }, onError, onSuccess: done }),
  );
  const fetchFingerprint = useMutation(
    trpc.remote.fetchFingerprint.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: (result) => setFetched(result),
    }),
  );
  const startFetch = () => {
    setFetched(null);
    fetchFingerprint.reset();
    const host = form.validateField('host');
    const port = form.validateField('port');
    if (host.hasError || port.hasError) return;
    const portValue = form.values.port;
    fetchFingerprint.mutate({
      host: form.values.host.trim(),
      ...(typeof portValue === 'number' && { port: portValue }),
    });
  };
  const mutation = isNew ? create : update;
  const placed = mutation.error !== null && serverDialogErrors(mutation.error, FIELDS, 'name').placed;
  return (
    <Modal opened onClose={onClose} title={isNew ? 'Add remote' : `Edit remote ${remote.name}`} size="lg">
      <form
        noValidate
        onSubmit={form.onSubmit((v) =>
          isNew ? create.mutate(toCreate(v)) : update.mutate(toUpdate(remote, digest, v)),
        )}
      >
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Remote ID"
              description="The name sync jobs use for this remote"
              required
              disabled={!isNew}
              data-autofocus
              {...form.getInputProps('name')}
            />
            <TextInput
              label="Host"
              description="DNS name or IP address, no scheme or port"
              placeholder="pbs.example.com"
              required
              {...form.getInputProps('host')}
            />
            <NumberInput
              label="Port"
              placeholder="8007"
              min={1}
              max={65535}
              allowDecimal={false}
              {...form.getInputProps('port')}
            />
            <TextInput
              label="Auth ID"
              description="user@realm, or user@realm!token for an API token"
              placeholder="sync@pbs"
              required
              {...form.getInputProps('authId')}
            />
            <PasswordInput
              label="Password or token secret"
              required={isNew}
              placeholder={isNew ? undefined : 'unchanged'}
              description={isNew ? undefined : 'Leave blank to keep the stored secret'}
              autoComplete="new-password"
              {...form.getInputProps('password')}
            />
            <TextInput label="Comment" {...form.getInputProps('comment')} />
          </SimpleGrid>
          <Group align="flex-end" wrap="nowrap">
            <TextInput
              label="Fingerprint"
              description="SHA-256 of the remote's certificate; not needed when it chains to a trusted CA"
              placeholder="aa:bb:…"
              style={{ flex: 1 }}
              styles={{ input: { fontFamily: 'monospace' } }}
              {...form.getInputProps('fingerprint')}
            />
            <Button variant="light" onClick={startFetch} loading={fetchFingerprint.isPending}>
              Fetch fingerprint
            </Button>
          </Group>
          {fetchFingerprint.error !== null && <FormError error={fetchFingerprint.error} />}
          {fetched !== null && (
            <FingerprintConfirm
              host={form.values.host.trim()}
              certificate={fetched}
              onConfirm={() => {
                form.setFieldValue('fingerprint', fetched.fingerprint);
                form.clearFieldError('fingerprint');
                setFetched(null);
              }}
              onReject={() => setFetched(null)}
            />
          )}
          <Checkbox
            label="Use node proxy"
            description="Connect through the HTTP proxy configured for this node"
            {...form.getInputProps('useNodeProxy', { type: 'checkbox' })}
          />
          {mutation.error !== null && !placed && (
            <FormError error={mutation.error} onReload={() => void done()} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {isNew ? 'Add remote' : 'Save'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
