import { Autocomplete, Button, Group, Modal, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import {
  MediaPoolConfigSchema,
  UpdateMediaPoolInputSchema,
  type MediaPoolConfig,
  type TapeKeyInfo,
} from '@pbs/api-types';
import type { z } from 'zod';
import { FormError } from '../../components/form-error';
import { validateAsInput } from '../../lib/form';
import { useServerFieldErrors, type ActionHandle } from './handles';

type UpdatePoolInput = z.input<typeof UpdateMediaPoolInputSchema>;

interface Values {
  name: string;
  allocation: string;
  retention: string;
  template: string;
  encrypt: string;
  comment: string;
}

const FIELDS = ['name', 'allocation', 'retention', 'template', 'encrypt', 'comment'];
const OPTIONAL = ['allocation', 'retention', 'template', 'encrypt', 'comment'] as const;

function toCreate(v: Values): MediaPoolConfig {
  const pool: MediaPoolConfig = { name: v.name.trim() };
  for (const key of OPTIONAL) {
    const value = v[key].trim();
    if (value !== '') pool[key] = value;
  }
  return pool;
}

function toUpdate(pool: MediaPoolConfig, digest: string, v: Values): UpdatePoolInput {
  const input: UpdatePoolInput = { name: pool.name, digest };
  const remove: NonNullable<UpdatePoolInput['delete']> = [];
  for (const key of OPTIONAL) {
    const value = v[key].trim();
    if (value !== '') input[key] = value;
    else if (pool[key] !== undefined) remove.push(key);
  }
  if (remove.length > 0) input.delete = remove;
  return input;
}

function keyOptions(keys: TapeKeyInfo[], current: string): { value: string; label: string }[] {
  const options = keys.map((k) => ({
    value: k.fingerprint,
    label: `${k.hint ?? 'no hint'} (${k.fingerprint.slice(0, 23)}…)`,
  }));
  if (current !== '' && !keys.some((k) => k.fingerprint === current)) {
    options.push({ value: current, label: `${current.slice(0, 23)}… (unknown key)` });
  }
  return options;
}

export interface PoolModalProps {
  pool: MediaPoolConfig | null;
  digest: string;
  keys: TapeKeyInfo[];
  create: ActionHandle<MediaPoolConfig>;
  update: ActionHandle<UpdatePoolInput>;
  onClose: () => void;
}

/** Add or edit a media pool: allocation and retention policies, encryption key, set names. */
export function PoolModal({ pool, digest, keys, create, update, onClose }: PoolModalProps) {
  const isNew = pool === null;
  const form = useForm<Values>({
    initialValues: {
      name: pool?.name ?? '',
      allocation: pool?.allocation ?? '',
      retention: pool?.retention ?? '',
      template: pool?.template ?? '',
      encrypt: pool?.encrypt ?? '',
      comment: pool?.comment ?? '',
    },
    validate: isNew
      ? validateAsInput(MediaPoolConfigSchema, toCreate)
      : validateAsInput(UpdateMediaPoolInputSchema, (v: Values) => toUpdate(pool, digest, v)),
  });
  const mutation = isNew ? create : update;
  const placed = useServerFieldErrors(form, mutation.error, FIELDS);
  const onSubmit = (v: Values) => {
    const done = { onSuccess: onClose };
    if (isNew) create.mutate(toCreate(v), done);
    else update.mutate(toUpdate(pool, digest, v), done);
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={isNew ? 'Add media pool' : `Edit media pool ${pool.name}`}
      size="lg"
    >
      <form noValidate onSubmit={form.onSubmit(onSubmit)}>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Pool name"
              required
              disabled={!isNew}
              data-autofocus
              {...form.getInputProps('name')}
            />
            <Autocomplete
              label="Allocation policy"
              placeholder="continue"
              description="continue, always, or a calendar event that starts a new media set"
              data={['continue', 'always', 'daily', 'weekly', 'monthly', 'sat 18:15']}
              {...form.getInputProps('allocation')}
            />
            <Autocomplete
              label="Retention policy"
              placeholder="keep"
              description="keep, overwrite, or a time span such as 30 days"
              data={['keep', 'overwrite', '30 days', '3 months', '1 year']}
              {...form.getInputProps('retention')}
            />
            <TextInput
              label="Media set name template"
              placeholder="%c"
              description="strftime format; %id% is the media set UUID"
              {...form.getInputProps('template')}
            />
          </SimpleGrid>
          <Select
            label="Encryption key"
            placeholder="no encryption"
            description="Tapes of new media sets are encrypted with this key (see Encryption Keys)"
            clearable
            data={keyOptions(keys, form.values.encrypt)}
            value={form.values.encrypt === '' ? null : form.values.encrypt}
            onChange={(value) => form.setFieldValue('encrypt', value ?? '')}
            error={form.errors.encrypt}
          />
          <TextInput label="Comment" {...form.getInputProps('comment')} />
          {mutation.error != null && !placed && <FormError error={mutation.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {isNew ? 'Add media pool' : 'Save'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
