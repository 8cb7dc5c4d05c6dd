/**
 * Tape encryption keys: fingerprint, hint and creation time (the key never leaves the server);
 * create one from a password, restore one from its paper key, show a key's paper key (the
 * password-wrapped key config) to print or save, remove.
 */
import {
  Button,
  Code,
  Group,
  Modal,
  PasswordInput,
  Stack,
  Text,
  Textarea,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconFileCertificate, IconKey, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { CreateTapeKeyInputSchema, RestoreTapeKeyInputSchema, type TapeKeyInfo } from '@pbs/api-types';
import { ConfirmModal } from '../../components/confirm-modal';
import { CopyAction } from '../../components/copy-action';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { FormError } from '../../components/form-error';
import { RowActions } from '../../components/row-actions';
import { formatEpoch } from '../../lib/format';
import { validateAsInput } from '../../lib/form';
import { useServerFieldErrors, type ActionHandle, type Loaded } from './handles';

export interface KeysViewProps {
  keys: Loaded<TapeKeyInfo[]>;
  mayModify: boolean;
  create: ActionHandle<{ password: string; hint?: string }, { fingerprint: string }>;
  restore: ActionHandle<{ keyConfig: string; password: string }, { fingerprint: string }>;
  remove: ActionHandle<{ fingerprint: string }>;
  /** the paper key of a key */
  keyConfig: (fingerprint: string) => Promise<string>;
}

type Dialog =
  | { kind: 'create' }
  | { kind: 'restore' }
  | { kind: 'paper'; fingerprint: string }
  | { kind: 'remove'; key: TapeKeyInfo };

interface CreateValues {
  password: string;
  repeat: string;
  hint: string;
}

function createInput(v: CreateValues): { password: string; hint?: string } {
  return v.hint.trim() === '' ? { password: v.password } : { password: v.password, hint: v.hint.trim() };
}

function CreateKeyModal(props: {
  create: KeysViewProps['create'];
  onCreated: (fingerprint: string) => void;
  onClose: () => void;
}) {
  const { create, onCreated, onClose } = props;
  const form = useForm<CreateValues>({
    initialValues: { password: '', repeat: '', hint: '' },
    validate: validateAsInput(CreateTapeKeyInputSchema, createInput, {}, (v) => ({
      repeat: v.repeat === v.password ? null : 'the passwords differ',
    })),
  });
  const placed = useServerFieldErrors(form, create.error, ['password', 'hint']);
  return (
    <Modal opened onClose={onClose} title="Add tape encryption key">
      <form
        noValidate
        onSubmit={form.onSubmit((v) =>
          create.mutate(createInput(v), { onSuccess: ({ fingerprint }) => onCreated(fingerprint) }),
        )}
      >
        <Stack>
          <PasswordInput label="Password" required data-autofocus {...form.getInputProps('password')} />
          <PasswordInput label="Repeat password" required {...form.getInputProps('repeat')} />
          <TextInput
            label="Password hint"
            description="Stored with the key and written on tapes; never the password itself"
            {...form.getInputProps('hint')}
          />
          {create.error != null && !placed && <FormError error={create.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Add key
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RestoreKeyModal({ restore, onClose }: { restore: KeysViewProps['restore']; onClose: () => void }) {
  const form = useForm<{ keyConfig: string; password: string }>({
    initialValues: { keyConfig: '', password: '' },
    validate: validateAsInput(RestoreTapeKeyInputSchema, (v: { keyConfig: string; password: string }) => v),
  });
  const placed = useServerFieldErrors(form, restore.error, ['keyConfig', 'password']);
  return (
    <Modal opened onClose={onClose} title="Restore tape encryption key" size="lg">
      <form noValidate onSubmit={form.onSubmit((v) => restore.mutate(v, { onSuccess: onClose }))}>
        <Stack>
          <Textarea
            label="Paper key"
            description="The key config (JSON) as printed or saved when the key was created"
            required
            autosize
            minRows={6}
            data-autofocus
            styles={{ input: { fontFamily: 'monospace' } }}
            {...form.getInputProps('keyConfig')}
          />
          <PasswordInput label="Password" required {...form.getInputProps('password')} />
          {restore.error != null && !placed && <FormError error={restore.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={restore.isPending}>
              Restore key
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function PaperKeyModal(props: {
  fingerprint: string;
  read: KeysViewProps['keyConfig'];
  onClose: () => void;
}) {
  const { fingerprint, read, onClose } = props;
  const [state, setState] = useState<{ text: string | null; error: unknown }>({ text: null, error: null });
  useEffect(() => {
    let live = true;
    read(fingerprint).then(
      (text) => live && setState({ text, error: null }),
      (error: unknown) => live && setState({ text: null, error }),
    );
    return () => {
      live = false;
    };
  }, [fingerprint, read]);
  return (
    <Modal opened onClose={onClose} title="Paper key" size="lg">
      <Stack>
        <Text size="sm">
          {`Key ${fingerprint}. Keep this, and its password, somewhere safe: without them, tapes written with the key cannot be restored.`}
        </Text>
        {state.error != null && <ErrorAlert error={state.error} />}
        {state.text != null && (
          <>
            <Group justify="flex-end">
              <CopyAction value={state.text} label="paper key" />
            </Group>
            <Code block aria-label="Paper key" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
              {state.text}
            </Code>
          </>
        )}
        <Group justify="flex-end">
          <Button onClick={onClose}>Close</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Encryption Keys: the keys media pools encrypt with. */
export function KeysView({ keys, mayModify, create, restore, remove, keyConfig }: KeysViewProps) {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => {
    create.reset();
    restore.reset();
    remove.reset();
    setDialog(null);
  };
  const columns: Column<TapeKeyInfo>[] = [
    {
      key: 'fingerprint',
      header: 'Fingerprint',
      render: (k) => (
        <Group gap={4} wrap="nowrap">
          <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
            {k.fingerprint}
          </Text>
          <CopyAction value={k.fingerprint} label={`fingerprint ${k.fingerprint}`} />
        </Group>
      ),
    },
    { key: 'hint', header: 'Hint', render: (k) => k.hint ?? '' },
    { key: 'created', header: 'Created', width: 170, render: (k) => formatEpoch(k.created) },
    {
      key: 'actions',
      header: <VisuallyHidden>Actions</VisuallyHidden>,
      width: 90,
      render: (k) =>
        mayModify ? (
          <RowActions
            actions={[
              {
                label: `Show paper key of ${k.fingerprint}`,
                icon: <IconFileCertificate size={16} />,
                onClick: () => setDialog({ kind: 'paper', fingerprint: k.fingerprint }),
              },
              {
                label: `Remove key ${k.fingerprint}`,
                icon: <IconTrash size={16} />,
                color: 'red',
                onClick: () => setDialog({ kind: 'remove', key: k }),
              },
            ]}
          />
        ) : null,
    },
  ];
  return (
    <Stack gap="sm" component="section" aria-label="Tape encryption keys">
      <Group justify="flex-end">
        {mayModify && (
          <>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconKey size={14} />}
              onClick={() => setDialog({ kind: 'restore' })}
            >
              Restore key
            </Button>
            <Button
              size="xs"
              leftSection={<IconPlus size={14} />}
              onClick={() => setDialog({ kind: 'create' })}
            >
              Add key
            </Button>
          </>
        )}
      </Group>
      {keys.error != null && <ErrorAlert error={keys.error} onRetry={keys.retry} />}
      <DataTable
        label="Tape encryption keys"
        columns={columns}
        rows={keys.data ?? []}
        rowKey={(k) => k.fingerprint}
        loading={keys.loading}
        empty="No tape encryption keys. A media pool with a key writes encrypted tapes."
      />
      {dialog?.kind === 'create' && (
        <CreateKeyModal
          create={create}
          onCreated={(fingerprint) => setDialog({ kind: 'paper', fingerprint })}
          onClose={close}
        />
      )}
      {dialog?.kind === 'restore' && <RestoreKeyModal restore={restore} onClose={close} />}
      {dialog?.kind === 'paper' && (
        <PaperKeyModal fingerprint={dialog.fingerprint} read={keyConfig} onClose={close} />
      )}
      {dialog?.kind === 'remove' && (
        <ConfirmModal
          opened
          onClose={close}
          title="Remove tape encryption key"
          confirmLabel="Remove key"
          loading={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate({ fingerprint: dialog.key.fingerprint }, { onSuccess: close })}
        >
          {`Remove the key ${dialog.key.fingerprint}${dialog.key.hint ? ` (${dialog.key.hint})` : ''}? Tapes written with it can only be restored after restoring the key from its paper key.`}
        </ConfirmModal>
      )}
    </Stack>
  );
}
