import {
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { TapeBackupInputSchema, type TapeBackupInput } from '@pbs/api-types';
import { FormError } from '../../components/form-error';
import { validateAsInput } from '../../lib/form';
import { useServerFieldErrors, type ActionHandle } from './handles';

interface Values {
  store: string | null;
  pool: string | null;
  drive: string | null;
  ns: string;
  maxDepth: number | string;
  groupFilter: string;
  latestOnly: boolean;
  forceMediaSet: boolean;
  ejectMedia: boolean;
  exportMediaSet: boolean;
}

const FIELDS = ['store', 'pool', 'drive', 'ns', 'maxDepth', 'groupFilter'];

function toInput(v: Values): TapeBackupInput {
  const input: TapeBackupInput = { store: v.store ?? '', pool: v.pool ?? '', drive: v.drive ?? '' };
  if (v.ns.trim() !== '') input.ns = v.ns.trim();
  if (typeof v.maxDepth === 'number') input.maxDepth = v.maxDepth;
  const groupFilter = v.groupFilter
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (groupFilter.length > 0) input.groupFilter = groupFilter;
  for (const key of ['latestOnly', 'forceMediaSet', 'ejectMedia', 'exportMediaSet'] as const) {
    if (v[key]) input[key] = true;
  }
  return input;
}

export interface BackupModalProps {
  stores: string[];
  pools: string[];
  drives: string[];
  backup: ActionHandle<TapeBackupInput>;
  onClose: () => void;
}

/** A one-shot tape backup (PBS "New Backup"): a datastore's snapshots to a pool, now. */
export function BackupModal({ stores, pools, drives, backup, onClose }: BackupModalProps) {
  const form = useForm<Values>({
    initialValues: {
      store: stores[0] ?? null,
      pool: pools[0] ?? null,
      drive: drives[0] ?? null,
      ns: '',
      maxDepth: '',
      groupFilter: '',
      latestOnly: false,
      forceMediaSet: false,
      ejectMedia: false,
      exportMediaSet: false,
    },
    validate: validateAsInput(TapeBackupInputSchema, toInput, { 'groupFilter.0': 'groupFilter' }),
  });
  const placed = useServerFieldErrors(form, backup.error, FIELDS);
  return (
    <Modal opened onClose={onClose} title="New tape backup" size="lg">
      <form noValidate onSubmit={form.onSubmit((v) => backup.mutate(toInput(v), { onSuccess: onClose }))}>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="Datastore"
              required
              data={stores}
              allowDeselect={false}
              {...form.getInputProps('store')}
            />
            <Select
              label="Media pool"
              required
              data={pools}
              allowDeselect={false}
              {...form.getInputProps('pool')}
            />
            <Select
              label="Drive"
              required
              data={drives}
              allowDeselect={false}
              {...form.getInputProps('drive')}
            />
            <TextInput label="Namespace" placeholder="root namespace" {...form.getInputProps('ns')} />
            <NumberInput
              label="Max. depth"
              placeholder="full depth"
              min={0}
              max={7}
              allowDecimal={false}
              {...form.getInputProps('maxDepth')}
            />
          </SimpleGrid>
          <Textarea
            label="Group filters"
            placeholder="all groups"
            description="One per line: type:vm, group:vm/100, regex:^ct/, prefixed with include: or exclude:"
            autosize
            minRows={2}
            {...form.getInputProps('groupFilter')}
          />
          <Group>
            <Checkbox
              label="Latest snapshot only"
              {...form.getInputProps('latestOnly', { type: 'checkbox' })}
            />
            <Checkbox
              label="Start a new media set"
              {...form.getInputProps('forceMediaSet', { type: 'checkbox' })}
            />
            <Checkbox
              label="Eject media when done"
              {...form.getInputProps('ejectMedia', { type: 'checkbox' })}
            />
            <Checkbox
              label="Export media set when done"
              {...form.getInputProps('exportMediaSet', { type: 'checkbox' })}
            />
          </Group>
          {backup.error != null && !placed && <FormError error={backup.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={backup.isPending}>
              Start backup
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
