import {
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import {
  PruneJobConfigSchema,
  UpdatePruneJobInputSchema,
  type PruneJob,
  type PruneJobConfig,
  type UpdatePruneJobInput,
} from '@pbs/api-types';
import { FormError } from '../../components/form-error';
import { KeepOptionsFields } from '../../components/keep-options-fields';
import { ScheduleInput } from '../../components/schedule-input';
import { serverDialogErrors, validateAsInput } from '../../lib/form';
import {
  clearedKeepOptions,
  keepOptionsOf,
  keepValuesOf,
  type KeepKey,
  type KeepValues,
} from '../../lib/keep-options';
import { useTRPC } from '../../lib/trpc';
import { useInvalidateDatastores } from '../../lib/use-datastores';

interface Values extends KeepValues {
  id: string;
  store: string;
  ns: string;
  maxDepth: number | string;
  schedule: string;
  comment: string;
  enabled: boolean;
}

const FIELDS = [
  'id',
  'store',
  'ns',
  'maxDepth',
  'schedule',
  'comment',
  'enabled',
  'keepLast',
  'keepHourly',
  'keepDaily',
  'keepWeekly',
  'keepMonthly',
  'keepYearly',
];
const RENAME = { disable: 'enabled' };

function toCreate(v: Values): PruneJobConfig {
  const job: PruneJobConfig = {
    id: v.id.trim(),
    store: v.store,
    schedule: v.schedule.trim(),
    ...keepOptionsOf(v),
  };
  if (!v.enabled) job.disable = true;
  if (v.ns.trim() !== '') job.ns = v.ns.trim();
  if (typeof v.maxDepth === 'number') job.maxDepth = v.maxDepth;
  if (v.comment.trim() !== '') job.comment = v.comment.trim();
  return job;
}

function toUpdate(job: PruneJob, digest: string, v: Values): UpdatePruneJobInput {
  const input: UpdatePruneJobInput = {
    id: job.id,
    digest,
    store: v.store,
    schedule: v.schedule.trim(),
    ...keepOptionsOf(v),
  };
  const remove: NonNullable<UpdatePruneJobInput['delete']> = [...clearedKeepOptions(job, v)];
  if (v.enabled) {
    if (job.disable !== undefined) remove.push('disable');
  } else input.disable = true;
  if (v.ns.trim() !== '') input.ns = v.ns.trim();
  else if (job.ns !== undefined) remove.push('ns');
  if (typeof v.maxDepth === 'number') input.maxDepth = v.maxDepth;
  else if (job.maxDepth !== undefined) remove.push('maxDepth');
  if (v.comment.trim() !== '') input.comment = v.comment.trim();
  else if (job.comment !== undefined) remove.push('comment');
  if (remove.length > 0) input.delete = remove;
  return input;
}

export interface PruneJobModalProps {
  /** null adds a job */
  job: PruneJob | null;
  digest: string;
  /** the datastore's tab: the store is fixed */
  store: string | undefined;
  stores: string[];
  onClose: () => void;
}

/** Add or edit a prune job: store, namespace and depth, schedule, keep options, comment. */
export function PruneJobModal({ job, digest, store, stores, onClose }: PruneJobModalProps) {
  const trpc = useTRPC();
  const invalidate = useInvalidateDatastores();
  const isNew = job === null;
  const form = useForm<Values>({
    initialValues: {
      id: job?.id ?? '',
      store: job?.store ?? store ?? stores[0] ?? '',
      ns: job?.ns ?? '',
      maxDepth: job?.maxDepth ?? '',
      schedule: job?.schedule ?? 'daily',
      comment: job?.comment ?? '',
      enabled: job?.disable !== true,
      ...keepValuesOf(job ?? undefined),
    },
    validate: isNew
      ? validateAsInput(PruneJobConfigSchema, toCreate, RENAME)
      : validateAsInput(UpdatePruneJobInputSchema, (v: Values) => toUpdate(job, digest, v), RENAME),
  });
  const onError = (err: unknown) => form.setErrors(serverDialogErrors(err, FIELDS, 'id', RENAME).errors);
  const done = async () => {
    await invalidate();
    onClose();
  };
  const create = useMutation(
    trpc.pruneJob.create.mutationOptions({ meta: { handlesErrors: true }, onError, onSuccess: done }),
  );
  const update = useMutation(
    trpc.pruneJob.update.mutationOptions({ meta: { handlesErrors: true }, onError, onSuccess: done }),
  );
  const mutation = isNew ? create : update;
  const placed = mutation.error !== null && serverDialogErrors(mutation.error, FIELDS, 'id', RENAME).placed;
  return (
    <Modal opened onClose={onClose} title={isNew ? 'Add prune job' : `Edit prune job ${job.id}`} size="lg">
      <form
        noValidate
        onSubmit={form.onSubmit((v) =>
          isNew ? create.mutate(toCreate(v)) : update.mutate(toUpdate(job, digest, v)),
        )}
      >
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
              data={stores.includes(form.values.store) ? stores : [...stores, form.values.store]}
              disabled={store !== undefined}
              allowDeselect={false}
              required
              {...form.getInputProps('store')}
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
            <ScheduleInput label="Schedule" required {...form.getInputProps('schedule')} />
            <TextInput label="Comment" {...form.getInputProps('comment')} />
          </SimpleGrid>
          <KeepOptionsFields inputProps={(key: KeepKey) => form.getInputProps(key)} />
          <Checkbox label="Enabled" {...form.getInputProps('enabled', { type: 'checkbox' })} />
          {mutation.error !== null && !placed && (
            <FormError error={mutation.error} onReload={() => void done()} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {isNew ? 'Add prune job' : 'Save'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
