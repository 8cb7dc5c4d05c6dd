import {
  Autocomplete,
  Button,
  Checkbox,
  Group,
  Modal,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { CreateDatastoreInputSchema, type CreateDatastoreInput } from '@pbs/api-types';
import { FormError } from '../../components/form-error';
import { KeepOptionsFields } from '../../components/keep-options-fields';
import { ScheduleInput } from '../../components/schedule-input';
import { serverDialogErrors, validateAsInput } from '../../lib/form';
import { keepOptionsOf, keepValuesOf, type KeepKey, type KeepValues } from '../../lib/keep-options';
import { taskPath } from '../../lib/task-search';
import { useTRPC } from '../../lib/trpc';
import { useInvalidateDatastores } from '../../lib/use-datastores';
import { useSession } from '../../lib/use-session';
import { DatastoreOverview } from './datastore-overview';

interface Values extends KeepValues {
  name: string;
  /** 'local' (filesystem) or 's3' (path = local cache) */
  backendType: string;
  s3Client: string;
  s3Bucket: string;
  overwriteInUse: boolean;
  path: string;
  gcSchedule: string;
  pruneSchedule: string;
  verifyNew: boolean;
  reuseDatastore: boolean;
  comment: string;
}

const FIELDS = [
  'name',
  's3Client',
  's3Bucket',
  'overwriteInUse',
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

/** input fields → form fields, for the schema's and the server's messages */
const RENAME = {
  'backend.client': 's3Client',
  'backend.bucket': 's3Bucket',
  backend: 's3Bucket',
};

function toInput(v: Values): CreateDatastoreInput {
  const input: CreateDatastoreInput = {
    name: v.name.trim(),
    path: v.path.trim(),
    verifyNew: v.verifyNew,
    reuseDatastore: v.reuseDatastore,
    ...keepOptionsOf(v),
  };
  if (v.backendType === 's3') {
    input.backend = { type: 's3', client: v.s3Client, bucket: v.s3Bucket.trim() };
    input.overwriteInUse = v.reuseDatastore && v.overwriteInUse;
  }
  if (v.gcSchedule.trim() !== '') input.gcSchedule = v.gcSchedule.trim();
  if (v.pruneSchedule.trim() !== '') input.pruneSchedule = v.pruneSchedule.trim();
  if (v.comment.trim() !== '') input.comment = v.comment.trim();
  return input;
}

/**
 * S3 endpoint and bucket pickers (PBS 4.x Add Datastore with type S3): endpoints from s3.cfg,
 * buckets listed live from the chosen endpoint (free text still allowed, e.g. without the
 * privilege to list).
 */
function S3BackendFields(props: {
  client: string;
  onClientChange: (client: string) => void;
  clientError: ReactNode;
  bucketProps: ReturnType<ReturnType<typeof useForm<Values>>['getInputProps']>;
}) {
  const trpc = useTRPC();
  const endpoints = useQuery(trpc.s3Endpoint.list.queryOptions());
  const client = props.client;
  const buckets = useQuery(
    trpc.s3Endpoint.listBuckets.queryOptions({ id: client }, { enabled: client !== '', retry: false }),
  );
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <Select
        label="S3 Endpoint ID"
        required
        placeholder={endpoints.data?.items.length === 0 ? 'No S3 endpoints configured' : 'Choose an endpoint'}
        data={(endpoints.data?.items ?? []).map((e) => ({ value: e.id, label: `${e.id} (${e.endpoint})` }))}
        allowDeselect={false}
        value={client === '' ? null : client}
        error={props.clientError}
        onChange={(value) => props.onClientChange(value ?? '')}
      />
      <Autocomplete
        label="Bucket"
        required
        disabled={client === ''}
        placeholder={buckets.isPending && client !== '' ? 'Listing buckets…' : undefined}
        description={buckets.isError ? `Buckets could not be listed: ${buckets.error.message}` : undefined}
        data={(buckets.data ?? []).map((b) => b.name)}
        {...props.bucketProps}
      />
    </SimpleGrid>
  );
}

/**
 * Add Datastore: name, type (local or S3: endpoint, bucket, local cache, reuse and overwrite of
 * the in-use marker), path (empty = under the server's data directory), schedules, keep options,
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
      backendType: 'local',
      s3Client: '',
      s3Bucket: '',
      overwriteInUse: false,
      path: '',
      gcSchedule: 'daily',
      pruneSchedule: '',
      verifyNew: false,
      reuseDatastore: false,
      comment: '',
      ...keepValuesOf(undefined),
    },
    validate: validateAsInput(CreateDatastoreInputSchema, toInput, RENAME, (v) => ({
      s3Client: v.backendType === 's3' && v.s3Client === '' ? 'choose an S3 endpoint' : null,
    })),
  });
  const create = useMutation(
    trpc.datastore.create.mutationOptions({
      meta: { handlesErrors: true },
      onError: (err) => {
        form.setErrors(serverDialogErrors(err, FIELDS, 'name', RENAME).errors);
      },
      onSuccess: async ({ taskId }) => {
        await invalidate();
        void navigate(taskPath(taskId));
      },
    }),
  );
  const placed = create.error !== null && serverDialogErrors(create.error, FIELDS, 'name', RENAME).placed;
  const pruneErrors = Object.keys(form.errors).some((key) => PRUNE_FIELDS.has(key));
  const name = form.values.name.trim() || '<name>';
  const defaultPath =
    node.data === undefined
      ? `<data directory>/datastores/${name}`
      : `${node.data.dataDir.path}/datastores/${name}`;
  const isS3 = form.values.backendType === 's3';

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
                <div>
                  <Text size="sm" fw={500} id="datastore-type-label">
                    Datastore Type
                  </Text>
                  <SegmentedControl
                    aria-labelledby="datastore-type-label"
                    data={[
                      { value: 'local', label: 'Local' },
                      { value: 's3', label: 'S3' },
                    ]}
                    {...form.getInputProps('backendType')}
                  />
                </div>
                {isS3 && (
                  <S3BackendFields
                    client={form.values.s3Client}
                    clientError={form.errors.s3Client}
                    onClientChange={(client) => {
                      form.setFieldValue('s3Client', client);
                      form.setFieldValue('s3Bucket', '');
                    }}
                    bucketProps={form.getInputProps('s3Bucket')}
                  />
                )}
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput
                    label="Name"
                    required
                    data-autofocus
                    description="Letters, digits, '_', '.', '-' (3–32)"
                    {...form.getInputProps('name')}
                  />
                  <TextInput
                    label={isS3 ? 'Local Cache' : 'Path'}
                    placeholder={defaultPath}
                    description={
                      isS3
                        ? `Absolute path of the local cache (a dedicated disk of 64–128 GiB is recommended); empty uses ${defaultPath}`
                        : `Absolute path of the backing directory; empty creates it at ${defaultPath}`
                    }
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
                  description={
                    isS3
                      ? "Take over the datastore's objects in the bucket (the name must be the old one); its contents are refreshed from S3"
                      : 'Take over a directory that already holds a datastore instead of requiring an empty one'
                  }
                  {...form.getInputProps('reuseDatastore', { type: 'checkbox' })}
                />
                {isS3 && (
                  <Checkbox
                    label="Overwrite in-use marker"
                    description="Take the bucket's datastore over although another server marked it in use (only after that server is gone)"
                    disabled={!form.values.reuseDatastore}
                    {...form.getInputProps('overwriteInUse', { type: 'checkbox' })}
                  />
                )}
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
