import {
  Autocomplete,
  Button,
  Checkbox,
  Divider,
  Group,
  Modal,
  NumberInput,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  CreateSyncJobInputSchema,
  UpdateSyncJobInputSchema,
  type SyncDirection,
  type SyncJob,
} from '@pbs/api-types';
import { ErrorAlert } from '../../components/error-alert';
import { FormError } from '../../components/form-error';
import { ScheduleInput } from '../../components/schedule-input';
import { serverDialogErrors, validateAsInput } from '../../lib/form';
import { useTRPC } from '../../lib/trpc';
import { useSession } from '../../lib/use-session';
import { GroupFilterBuilder } from './group-filter-builder';
import { rowError, type FilterRow } from './group-filters';
import { FORM_FIELDS, initialValues, toCreate, toUpdate, type SyncJobValues } from './sync-job-values';
import { useSourceScan } from './use-source-scan';

export interface SyncJobModalProps {
  /** null: add a job of `direction` */
  job: SyncJob | null;
  direction: SyncDirection;
  digest: string;
  /** the datastore tab's store, fixed; undefined on the all-stores view */
  store: string | undefined;
  stores: string[];
  onClose: () => void;
  onSaved: () => Promise<unknown>;
}

function filterErrors(values: SyncJobValues): Record<string, string | null> {
  return Object.fromEntries(values.filters.map((row, i) => [`filters.${i}`, rowError(row)]));
}

/**
 * Add or edit a pull or push job. The remote side's datastore, namespace and group pickers are
 * filled from a scan of the remote (or of this server for a local sync); typed values are
 * accepted when the scan fails.
 */
export function SyncJobModal(props: SyncJobModalProps) {
  const { job, direction, digest, store, stores, onClose, onSaved } = props;
  const trpc = useTRPC();
  const session = useSession();
  const isNew = job === null;
  const form = useForm<SyncJobValues>({
    initialValues: initialValues(job, direction, store ?? stores[0] ?? '', session.authId),
    validate: (values) => {
      const base = isNew
        ? validateAsInput(CreateSyncJobInputSchema, toCreate, { groupFilter: 'filters' }, filterErrors)
        : validateAsInput(
            UpdateSyncJobInputSchema,
            (v: SyncJobValues) => toUpdate(job, digest, v),
            { groupFilter: 'filters' },
            filterErrors,
          );
      const errors = base(values);
      if (values.location === 'remote' && values.remote === '') errors.remote = 'choose a remote';
      delete errors.filters;
      return errors;
    },
  });
  const v = form.values;
  const pull = v.direction === 'pull';
  const remotes = useQuery(trpc.remote.list.queryOptions(undefined, { enabled: v.location === 'remote' }));
  const remoteNames = (remotes.data?.items ?? []).map((r) => r.name);
  const scan = useSourceScan(
    v.location === 'remote' ? v.remote : '',
    v.remoteStore.trim(),
    v.remoteNs.trim(),
  );
  // the filter applies to the source's groups: the remote side's for pull, this server's for push
  const localScan = useSourceScan('', pull ? '' : v.store, v.ns.trim());
  const source = pull ? scan : localScan;

  const onError = (err: unknown) => form.setErrors(serverDialogErrors(err, FORM_FIELDS, 'id').errors);
  const done = async () => {
    await onSaved();
    onClose();
  };
  const create = useMutation(
    trpc.syncJob.create.mutationOptions({ meta: { handlesErrors: true }, onError, onSuccess: done }),
  );
  const update = useMutation(
    trpc.syncJob.update.mutationOptions({ meta: { handlesErrors: true }, onError, onSuccess: done }),
  );
  const mutation = isNew ? create : update;
  const placed = mutation.error !== null && serverDialogErrors(mutation.error, FORM_FIELDS, 'id').placed;

  const side = pull ? 'Source' : 'Target';
  const noun = pull ? 'pull job' : 'push job';
  const title = isNew ? `Add ${noun}` : `Edit ${noun} ${job.id}`;
  const rowErrors = Object.fromEntries(
    v.filters.map((_, i) => [i, form.errors[`filters.${i}`] as string | undefined]),
  );
  const setFilters = (rows: FilterRow[]) => {
    form.setFieldValue('filters', rows);
    for (const key of Object.keys(form.errors)) if (key.startsWith('filters.')) form.clearFieldError(key);
  };

  const remoteSide = (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {pull ? 'Source (remote side)' : 'Target (remote side)'}
      </Title>
      <Radio.Group
        label="Location"
        value={v.location}
        onChange={(value) => {
          form.setFieldValue('location', value);
          form.setFieldValue('remoteStore', '');
          form.setFieldValue('remoteNs', '');
        }}
      >
        <Group mt={4}>
          <Radio value="remote" label="Remote server" />
          <Radio value="local" label="This server" />
        </Group>
      </Radio.Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {v.location === 'remote' && (
          <Select
            label="Remote"
            placeholder={remotes.isPending ? 'loading…' : 'choose a remote'}
            data={
              remoteNames.includes(v.remote) || v.remote === '' ? remoteNames : [...remoteNames, v.remote]
            }
            required
            searchable
            nothingFoundMessage="No remotes: add one under Configuration → Remotes"
            {...form.getInputProps('remote')}
            onChange={(value: string | null) => {
              form.setFieldValue('remote', value ?? '');
              form.setFieldValue('remoteStore', '');
              form.setFieldValue('remoteNs', '');
            }}
          />
        )}
        <Autocomplete
          label={`${side} datastore`}
          placeholder="datastore name"
          data={scan.stores}
          required
          {...form.getInputProps('remoteStore')}
          onChange={(value) => {
            form.setFieldValue('remoteStore', value);
            form.setFieldValue('remoteNs', '');
          }}
        />
        <Autocomplete
          label={`${side} namespace`}
          placeholder="root namespace"
          data={scan.namespaces}
          {...form.getInputProps('remoteNs')}
        />
      </SimpleGrid>
      {scan.error != null && (
        <ErrorAlert error={scan.error} title="Could not scan the remote side; type the names instead" />
      )}
    </Stack>
  );

  const localSide = (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {pull ? 'Target (this server)' : 'Source (this server)'}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select
          label="Local datastore"
          data={stores.includes(v.store) ? stores : [...stores, v.store]}
          disabled={store !== undefined}
          allowDeselect={false}
          required
          {...form.getInputProps('store')}
        />
        <TextInput
          label="Local namespace"
          placeholder="root namespace"
          description="e.g. dept/team"
          {...form.getInputProps('ns')}
        />
        <TextInput
          label={pull ? 'Local owner' : 'Local user'}
          description={pull ? 'Owner of new groups' : 'Whose groups are pushed'}
          placeholder="root@pam"
          {...form.getInputProps('owner')}
        />
      </SimpleGrid>
    </Stack>
  );

  return (
    <Modal opened onClose={onClose} title={title} size="xl">
      <form
        noValidate
        onSubmit={form.onSubmit((values) =>
          isNew ? create.mutate(toCreate(values)) : update.mutate(toUpdate(job, digest, values)),
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
            <ScheduleInput
              label="Schedule"
              placeholder="none (run manually)"
              {...form.getInputProps('schedule')}
            />
          </SimpleGrid>
          {pull ? remoteSide : localSide}
          {pull ? localSide : remoteSide}
          <Divider />
          <Title order={3} size="h5">
            Options
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NumberInput
              label="Max. depth"
              placeholder="full depth"
              description="Namespace levels below the namespaces (0–7)"
              min={0}
              max={7}
              allowDecimal={false}
              {...form.getInputProps('maxDepth')}
            />
            <NumberInput
              label="Transfer last"
              placeholder="all snapshots"
              description="Only the newest N snapshots of each group"
              min={1}
              allowDecimal={false}
              {...form.getInputProps('transferLast')}
            />
            <NumberInput
              label="Group workers"
              placeholder="1"
              description="Groups synced in parallel (1–32)"
              min={1}
              max={32}
              allowDecimal={false}
              {...form.getInputProps('workerThreads')}
            />
            <TextInput
              label="Rate in"
              placeholder="unlimited"
              description="e.g. 10MiB (per second)"
              {...form.getInputProps('rateIn')}
            />
            <TextInput label="Burst in" placeholder="= rate in" {...form.getInputProps('burstIn')} />
            <TextInput
              label="Rate out"
              placeholder="unlimited"
              description="e.g. 10MiB (per second)"
              {...form.getInputProps('rateOut')}
            />
            <TextInput label="Burst out" placeholder="= rate out" {...form.getInputProps('burstOut')} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Checkbox
              label="Remove vanished"
              description="Remove groups and snapshots that no longer exist on the source"
              {...form.getInputProps('removeVanished', { type: 'checkbox' })}
            />
            <Checkbox
              label="Re-sync corrupt"
              description="Transfer again snapshots whose verification failed"
              {...form.getInputProps('resyncCorrupt', { type: 'checkbox' })}
            />
            <Checkbox
              label="Encrypted only"
              description="Only snapshots whose archives are all encrypted"
              {...form.getInputProps('encryptedOnly', { type: 'checkbox' })}
            />
            <Checkbox
              label="Verified only"
              description="Only snapshots that verified OK"
              {...form.getInputProps('verifiedOnly', { type: 'checkbox' })}
            />
          </SimpleGrid>
          <TextInput label="Comment" {...form.getInputProps('comment')} />
          <Divider />
          <Title order={3} size="h5">
            Group filter
          </Title>
          <GroupFilterBuilder
            rows={v.filters}
            onChange={setFilters}
            errors={rowErrors}
            groups={source.groups}
            groupsLoading={source.groupsLoading}
          />
          {mutation.error !== null && !placed && (
            <FormError error={mutation.error} onReload={() => void done()} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {isNew ? `Add ${noun}` : 'Save'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
