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
import {
  TapeBackupJobConfigSchema,
  UpdateTapeBackupJobInputSchema,
  type TapeBackupJob,
  type TapeBackupJobConfig,
} from '@pbs/api-types';
import type { z } from 'zod';
import { FormError } from '../../components/form-error';
import { ScheduleInput } from '../../components/schedule-input';
import { validateAsInput } from '../../lib/form';
import { useServerFieldErrors, type ActionHandle } from './handles';

export type UpdateTapeJobInput = z.input<typeof UpdateTapeBackupJobInputSchema>;

interface Values {
  id: string;
  store: string | null;
  pool: string | null;
  drive: string | null;
  ns: string;
  maxDepth: number | string;
  groupFilter: string;
  latestOnly: boolean;
  ejectMedia: boolean;
  exportMediaSet: boolean;
  schedule: string;
  comment: string;
}

const FIELDS = [
  'id',
  'store',
  'pool',
  'drive',
  'ns',
  'maxDepth',
  'groupFilter',
  'latestOnly',
  'ejectMedia',
  'exportMediaSet',
  'schedule',
  'comment',
];
const RENAME = { 'groupFilter.0': 'groupFilter' };

function filters(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function toConfig(v: Values): TapeBackupJobConfig {
  const job: TapeBackupJobConfig = {
    id: v.id.trim(),
    store: v.store ?? '',
    pool: v.pool ?? '',
    drive: v.drive ?? '',
  };
  if (v.ns.trim() !== '') job.ns = v.ns.trim();
  if (typeof v.maxDepth === 'number') job.maxDepth = v.maxDepth;
  const groupFilter = filters(v.groupFilter);
  if (groupFilter.length > 0) job.groupFilter = groupFilter;
  if (v.latestOnly) job.latestOnly = true;
  if (v.ejectMedia) job.ejectMedia = true;
  if (v.exportMediaSet) job.exportMediaSet = true;
  if (v.schedule.trim() !== '') job.schedule = v.schedule.trim();
  if (v.comment.trim() !== '') job.comment = v.comment.trim();
  return job;
}

const OPTIONAL = [
  'ns',
  'maxDepth',
  'groupFilter',
  'latestOnly',
  'ejectMedia',
  'exportMediaSet',
  'schedule',
  'comment',
] as const;

function toUpdate(job: TapeBackupJob, digest: string, v: Values): UpdateTapeJobInput {
  const { id: _id, ...next } = toConfig(v);
  const input: UpdateTapeJobInput = { id: job.id, digest, ...next };
  const remove = OPTIONAL.filter((key) => job[key] !== undefined && next[key] === undefined);
  if (remove.length > 0) input.delete = remove;
  return input;
}

export interface TapeJobModalProps {
  job: TapeBackupJob | null;
  digest: string;
  stores: string[];
  pools: string[];
  drives: string[];
  create: ActionHandle<TapeBackupJobConfig>;
  update: ActionHandle<UpdateTapeJobInput>;
  onClose: () => void;
}

function withCurrent(list: string[], value: string | null): string[] {
  return value === null || value === '' || list.includes(value) ? list : [...list, value];
}

/** Add or edit a tape backup job: what (store, namespace, groups) goes where (pool, drive), when. */
export function TapeJobModal({
  job,
  digest,
  stores,
  pools,
  drives,
  create,
  update,
  onClose,
}: TapeJobModalProps) {
  const isNew = job === null;
  const form = useForm<Values>({
    initialValues: {
      id: job?.id ?? '',
      store: job?.store ?? stores[0] ?? null,
      pool: job?.pool ?? pools[0] ?? null,
      drive: job?.drive ?? drives[0] ?? null,
      ns: job?.ns ?? '',
      maxDepth: job?.maxDepth ?? '',
      groupFilter: job?.groupFilter?.join('\n') ?? '',
      latestOnly: job?.latestOnly ?? false,
      ejectMedia: job?.ejectMedia ?? false,
      exportMediaSet: job?.exportMediaSet ?? false,
      schedule: job === null ? 'daily' : (job.schedule ?? ''),
      comment: job?.comment ?? '',
    },
    validate: isNew
      ? validateAsInput(TapeBackupJobConfigSchema, toConfig, RENAME)
      : validateAsInput(UpdateTapeBackupJobInputSchema, (v: Values) => toUpdate(job, digest, v), RENAME),
  });
  const mutation = isNew ? create : update;
  const placed = useServerFieldErrors(form, mutation.error, FIELDS);
  const onSubmit = (v: Values) => {
    if (isNew) create.mutate(toConfig(v), { onSuccess: onClose });
    else update.mutate(toUpdate(job, digest, v), { onSuccess: onClose });
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={isNew ? 'Add tape backup job' : `Edit tape backup job ${job.id}`}
      size="lg"
    >
      <form noValidate onSubmit={form.onSubmit(onSubmit)}>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Job ID"
              required
              disabled={!isNew}
              data-autofocus
              {...form.getInputProps('id')}
            />
            <Select
              label="Datastore"
              required
              data={withCurrent(stores, form.values.store)}
              allowDeselect={false}
              {...form.getInputProps('store')}
            />
            <Select
              label="Media pool"
              required
              data={withCurrent(pools, form.values.pool)}
              allowDeselect={false}
              {...form.getInputProps('pool')}
            />
            <Select
              label="Drive"
              required
              data={withCurrent(drives, form.values.drive)}
              allowDeselect={false}
              {...form.getInputProps('drive')}
            />
            <TextInput
              label="Namespace"
              placeholder="root namespace"
              description="e.g. dept/team; empty is the root"
              {...form.getInputProps('ns')}
            />
            <NumberInput
              label="Max. depth"
              placeholder="full depth"
              description="Namespace levels below it (0–7)"
              min={0}
              max={7}
              allowDecimal={false}
              {...form.getInputProps('maxDepth')}
            />
            <ScheduleInput
              label="Schedule"
              placeholder="none (run manually)"
              {...form.getInputProps('schedule')}
            />
            <TextInput label="Comment" {...form.getInputProps('comment')} />
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
              label="Eject media when done"
              {...form.getInputProps('ejectMedia', { type: 'checkbox' })}
            />
            <Checkbox
              label="Export media set when done"
              {...form.getInputProps('exportMediaSet', { type: 'checkbox' })}
            />
          </Group>
          {mutation.error != null && !placed && <FormError error={mutation.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {isNew ? 'Add tape backup job' : 'Save'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
