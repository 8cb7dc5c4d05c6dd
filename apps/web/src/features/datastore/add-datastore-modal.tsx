import { Button, Checkbox, Group, Modal, SimpleGrid, Stack, Tabs, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { CreateDatastoreInputSchema, type CreateDatastoreInput } from '@pbs/api-types';
import { FormError } from '../../components/form-error';
import { KeepOptionsFields } from '../../components/keep-options-fields';
import { ScheduleInput } from '../../components/schedule-input';
import { toAppError } from '../../lib/errors';
import { serverFieldErrors, validateAsInput } from '../../lib/form';
import { keepOptionsOf, keepValuesOf, type KeepKey, type KeepValues } from '../../lib/keep-options';
import { taskPath } from '../../lib/task-search';
import { useTRPC } from '../../lib/trpc';
import { useInvalidateDatastores } from '../../lib/use-datastores';
import { useSession } from '../../lib/use-session';
import { DatastoreOverview } from './datastore-overview';

interface Values extends KeepValues {
  name: string;
  path: string;
  gcSchedule: string;
  pruneSchedule: string;
  verifyNew: boolean;
  reuseDatastore: boolean;
  comment: string;
}

const FIELDS = [
  'name',
  'path',
  'gcSchedule',
  'pruneSchedule',
  'verifyNew',
  'reuseDatastore',
  'comment',
  'keepLast',
  'keepHourly',
  'keepDaily',
  'keepWeekly',
  'keepMonthly',
  'keepYearly',
];
const PRUNE_FIELDS = new Set([
  'keepLast',
  'keepHourly',
  'keepDaily',
  'keepWeekly',
  'keepMonthly',
  'keepYearly',
]);

function toInput(v: Values): CreateDatastoreInput {
  const input: CreateDatastoreInput = {
    name: v.name.trim(),
    path: v.path.trim(),
    verifyNew: v.verifyNew,
    reuseDatastore: v.reuseDatastore,
    ...keepOptionsOf(v),
  };
  if (v.gcSchedule.trim() !== '') input.gcSchedule = v.gcSchedule.trim();
  if (v.pruneSchedule.trim() !== '') input.pruneSchedule = v.pruneSchedule.trim();
  if (v.comment.trim() !== '') input.comment = v.comment.trim();
  return input;
}

/**
 * Add Datastore: name, path (empty = under the server's data directory), schedules, keep options,
 * verify-new, comment. Creating runs as a task; the dialog then opens the task's page.
 */
export function AddDatastoreModal({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const session = useSession();
  const invalidate = useInvalidateDatastores();
  const node = useQuery(
    trpc.node.status.queryOptions(undefined, {
      enabled: session.can('/system/status', 'Sys.Audit'),
      staleTime: 60_000,
    }),
  );
  const form = useForm<Values>({
    initialValues: {
      name: '',
      path: '',
      gcSchedule: 'daily',
      pruneSchedule: '',
      verifyNew: false,
      reuseDatastore: false,
      comment: '',
      ...keepValuesOf(undefined),
    },
    validate: validateAsInput(CreateDatastoreInputSchema, toInput),
  });
  const create = useMutation(
    trpc.datastore.create.mutationOptions({
      meta: { handlesErrors: true },
      onError: (err) => {
        const { errors } = serverFieldErrors(err, FIELDS);
        if (toAppError(err).code === 'ALREADY_EXISTS' && Object.keys(errors).length === 0) {
          errors.name = toAppError(err).message;
        }
        form.setErrors(errors);
      },
      onSuccess: async ({ taskId }) => {
        await invalidate();
        void navigate(taskPath(taskId));
      },
    }),
  );
  const placed =
    create.error !== null &&
    (serverFieldErrors(create.error, FIELDS).placed || toAppError(create.error).code === 'ALREADY_EXISTS');
  const pruneErrors = Object.keys(form.errors).some((key) => PRUNE_FIELDS.has(key));
  const name = form.values.name.trim() || '<name>';
  const defaultPath =
    node.data === undefined
      ? `<data directory>/datastores/${name}`
      : `${node.data.dataDir.path}/datastores/${name}`;

  return (
    <Modal opened onClose={onClose} title="Add Datastore" size="lg">
      <form noValidate onSubmit={form.onSubmit((v) => create.mutate(toInput(v)))}>
        <Stack>
          <Tabs defaultValue="general" keepMounted>
            <Tabs.List>
              <Tabs.Tab value="general">General</Tabs.Tab>
              <Tabs.Tab value="prune" c={pruneErrors ? 'red' : undefined}>
                Prune Options
              </Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="general" pt="md">
              <Stack>
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput
                    label="Name"
                    required
                    data-autofocus
                    description="Letters, digits, '_', '.', '-' (3–32)"
                    {...form.getInputProps('name')}
                  />
                  <TextInput
                    label="Path"
                    placeholder={defaultPath}
                    description={`Absolute path of the backing directory; empty creates it at ${defaultPath}`}
                    {...form.getInputProps('path')}
                  />
                  <ScheduleInput label="GC schedule" {...form.getInputProps('gcSchedule')} />
                  <ScheduleInput
                    label="Prune schedule"
                    description="With keep options (Prune Options tab) this becomes a prune job"
                    placeholder="none"
                    {...form.getInputProps('pruneSchedule')}
                  />
                </SimpleGrid>
                <Textarea label="Comment" autosize minRows={1} {...form.getInputProps('comment')} />
                <Checkbox
                  label="Verify new snapshots"
                  description="Verify every snapshot right after its backup finished"
                  {...form.getInputProps('verifyNew', { type: 'checkbox' })}
                />
                <Checkbox
                  label="Reuse existing datastore"
                  description="Take over a directory that already holds a datastore instead of requiring an empty one"
                  {...form.getInputProps('reuseDatastore', { type: 'checkbox' })}
                />
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="prune" pt="md">
              <KeepOptionsFields inputProps={(key: KeepKey) => form.getInputProps(key)} />
            </Tabs.Panel>
          </Tabs>
          {create.error !== null && !placed && <FormError error={create.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create datastore
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** /datastore/add: the overview with the dialog open; closing it returns to /datastore. */
export function AddDatastoreRoute() {
  const navigate = useNavigate();
  return (
    <>
      <DatastoreOverview />
      <AddDatastoreModal onClose={() => void navigate('/datastore')} />
    </>
  );
}
