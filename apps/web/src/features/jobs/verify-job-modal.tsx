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
  UpdateVerifyJobInputSchema,
  VerifyJobConfigSchema,
  type UpdateVerifyJobInput,
  type VerifyJob,
  type VerifyJobConfig,
} from '@pbs/api-types';
import { FormError } from '../../components/form-error';
import { ScheduleInput } from '../../components/schedule-input';
import { serverDialogErrors, validateAsInput } from '../../lib/form';
import { useTRPC } from '../../lib/trpc';
import { useInvalidateDatastores } from '../../lib/use-datastores';

interface Values {
  id: string;
  store: string;
  ns: string;
  maxDepth: number | string;
  schedule: string;
  ignoreVerified: boolean;
  outdatedAfter: number | string;
  readThreads: number | string;
  verifyThreads: number | string;
  comment: string;
}

const FIELDS = [
  'id',
  'store',
  'ns',
  'maxDepth',
  'schedule',
  'ignoreVerified',
  'outdatedAfter',
  'readThreads',
  'verifyThreads',
  'comment',
];
const OPTIONAL_NUMBERS = ['maxDepth', 'outdatedAfter', 'readThreads', 'verifyThreads'] as const;

function toCreate(v: Values): VerifyJobConfig {
  const job: VerifyJobConfig = { id: v.id.trim(), store: v.store, ignoreVerified: v.ignoreVerified };
  if (v.schedule.trim() !== '') job.schedule = v.schedule.trim();
  if (v.ns.trim() !== '') job.ns = v.ns.trim();
  if (v.comment.trim() !== '') job.comment = v.comment.trim();
  for (const key of OPTIONAL_NUMBERS) {
    const value = v[key];
    if (typeof value === 'number') job[key] = value;
  }
  return job;
}

function toUpdate(job: VerifyJob, digest: string, v: Values): UpdateVerifyJobInput {
  const input: UpdateVerifyJobInput = {
    id: job.id,
    digest,
    store: v.store,
    ignoreVerified: v.ignoreVerified,
  };
  const remove: NonNullable<UpdateVerifyJobInput['delete']> = [];
  for (const key of ['schedule', 'ns', 'comment'] as const) {
    const value = v[key].trim();
    if (value !== '') input[key] = value;
    else if (job[key] !== undefined) remove.push(key);
  }
  for (const key of OPTIONAL_NUMBERS) {
    const value = v[key];
    if (typeof value === 'number') input[key] = value;
    else if (job[key] !== undefined) remove.push(key);
  }
  if (remove.length > 0) input.delete = remove;
  return input;
}

export interface VerifyJobModalProps {
  job: VerifyJob | null;
  digest: string;
  store: string | undefined;
  stores: string[];
  onClose: () => void;
}

/** Add or edit a verify job: store, namespace and depth, schedule, skip verified, re-verify after. */
export function VerifyJobModal({ job, digest, store, stores, onClose }: VerifyJobModalProps) {
  const trpc = useTRPC();
  const invalidate = useInvalidateDatastores();
  const isNew = job === null;
  const form = useForm<Values>({
    initialValues: {
      id: job?.id ?? '',
      store: job?.store ?? store ?? stores[0] ?? '',
      ns: job?.ns ?? '',
      maxDepth: job?.maxDepth ?? '',
      schedule: job === null ? 'daily' : (job.schedule ?? ''),
      ignoreVerified: job?.ignoreVerified ?? true,
      outdatedAfter: job?.outdatedAfter ?? 30,
      readThreads: job?.readThreads ?? '',
      verifyThreads: job?.verifyThreads ?? '',
      comment: job?.comment ?? '',
    },
    validate: isNew
      ? validateAsInput(VerifyJobConfigSchema, toCreate)
      : validateAsInput(UpdateVerifyJobInputSchema, (v: Values) => toUpdate(job, digest, v)),
  });
  const onError = (err: unknown) => form.setErrors(serverDialogErrors(err, FIELDS, 'id').errors);
  const done = async () => {
    await invalidate();
    onClose();
  };
  const create = useMutation(
    trpc.verifyJob.create.mutationOptions({ meta: { handlesErrors: true }, onError, onSuccess: done }),
  );
  const update = useMutation(
    trpc.verifyJob.update.mutationOptions({ meta: { handlesErrors: true }, onError, onSuccess: done }),
  );
  const mutation = isNew ? create : update;
  const placed = mutation.error !== null && serverDialogErrors(mutation.error, FIELDS, 'id').placed;
  return (
    <Modal opened onClose={onClose} title={isNew ? 'Add verify job' : `Edit verify job ${job.id}`} size="lg">
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
            <ScheduleInput
              label="Schedule"
              placeholder="none (run manually)"
              {...form.getInputProps('schedule')}
            />
            <NumberInput
              label="Re-verify after (days)"
              placeholder="never"
              description="Verify again snapshots whose last verification is older"
              min={0}
              allowDecimal={false}
              {...form.getInputProps('outdatedAfter')}
            />
            <NumberInput
              label="Read threads"
              placeholder="default"
              min={1}
              max={32}
              allowDecimal={false}
              {...form.getInputProps('readThreads')}
            />
            <NumberInput
              label="Verify threads"
              placeholder="default"
              min={1}
              max={32}
              allowDecimal={false}
              {...form.getInputProps('verifyThreads')}
            />
          </SimpleGrid>
          <TextInput label="Comment" {...form.getInputProps('comment')} />
          <Checkbox
            label="Skip verified snapshots"
            description="Do not verify snapshots already verified (unless outdated)"
            {...form.getInputProps('ignoreVerified', { type: 'checkbox' })}
          />
          {mutation.error !== null && !placed && (
            <FormError error={mutation.error} onReload={() => void done()} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {isNew ? 'Add verify job' : 'Save'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
