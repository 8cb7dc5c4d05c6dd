import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useParams } from 'react-router';
import {
  UpdateDatastoreInputSchema,
  type DatastoreConfig,
  type DatastoreTuning,
  type UpdateDatastoreInput,
} from '@pbs/api-types';
import { ErrorAlert } from '../../components/error-alert';
import { FormError } from '../../components/form-error';
import { ScheduleInput } from '../../components/schedule-input';
import { datastoreAclPath } from '../../lib/datastore-paths';
import { serverFieldErrors, validateAsInput } from '../../lib/form';
import { useTRPC } from '../../lib/trpc';
import { useInvalidateDatastores } from '../../lib/use-datastores';
import { useSession } from '../../lib/use-session';
import { RemoveDatastoreModal } from './remove-datastore-modal';

type Maintenance = 'none' | 'read-only' | 'offline';
type Tri = '' | 'on' | 'off';

interface Values {
  comment: string;
  gcSchedule: string;
  verifyNew: boolean;
  maintenanceType: Maintenance;
  maintenanceMessage: string;
  chunkOrder: '' | 'none' | 'inode';
  syncLevel: '' | 'none' | 'file' | 'filesystem';
  gcAtimeSafetyCheck: Tri;
  gcAtimeCutoff: number | string;
  gcCacheCapacity: number | string;
  defaultVerificationWorkers: number | string;
  defaultVerificationReaders: number | string;
}

const FIELDS = [
  'comment',
  'gcSchedule',
  'verifyNew',
  'maintenanceType',
  'maintenanceMessage',
  'chunkOrder',
  'syncLevel',
  'gcAtimeSafetyCheck',
  'gcAtimeCutoff',
  'gcCacheCapacity',
  'defaultVerificationWorkers',
  'defaultVerificationReaders',
];
const NUMERIC_TUNING = [
  'gcAtimeCutoff',
  'gcCacheCapacity',
  'defaultVerificationWorkers',
  'defaultVerificationReaders',
] as const;
const RENAME: Record<string, string> = {
  maintenanceMode: 'maintenanceType',
  'maintenanceMode.message': 'maintenanceMessage',
  'tuning.chunkOrder': 'chunkOrder',
  'tuning.syncLevel': 'syncLevel',
  'tuning.gcAtimeSafetyCheck': 'gcAtimeSafetyCheck',
  'tuning.gcAtimeCutoff': 'gcAtimeCutoff',
  'tuning.gcCacheCapacity': 'gcCacheCapacity',
  'tuning.defaultVerificationWorkers': 'defaultVerificationWorkers',
  'tuning.defaultVerificationReaders': 'defaultVerificationReaders',
};

function valuesOf(config: DatastoreConfig): Values {
  const t = config.tuning ?? {};
  const mode = config.maintenanceMode?.type;
  return {
    comment: config.comment ?? '',
    gcSchedule: config.gcSchedule ?? '',
    verifyNew: config.verifyNew ?? false,
    maintenanceType: mode === 'read-only' || mode === 'offline' ? mode : 'none',
    maintenanceMessage: config.maintenanceMode?.message ?? '',
    chunkOrder: t.chunkOrder ?? '',
    syncLevel: t.syncLevel ?? '',
    gcAtimeSafetyCheck: t.gcAtimeSafetyCheck === undefined ? '' : t.gcAtimeSafetyCheck ? 'on' : 'off',
    gcAtimeCutoff: t.gcAtimeCutoff ?? '',
    gcCacheCapacity: t.gcCacheCapacity ?? '',
    defaultVerificationWorkers: t.defaultVerificationWorkers ?? '',
    defaultVerificationReaders: t.defaultVerificationReaders ?? '',
  };
}

function toInput(config: DatastoreConfig, digest: string, v: Values): UpdateDatastoreInput {
  const input: UpdateDatastoreInput = { name: config.name, digest, verifyNew: v.verifyNew };
  const remove: NonNullable<UpdateDatastoreInput['delete']> = [];
  if (v.comment.trim() !== '') input.comment = v.comment.trim();
  else if (config.comment !== undefined) remove.push('comment');
  if (v.gcSchedule.trim() !== '') input.gcSchedule = v.gcSchedule.trim();
  else if (config.gcSchedule !== undefined) remove.push('gcSchedule');
  if (v.maintenanceType !== 'none') {
    const message = v.maintenanceMessage.trim();
    input.maintenanceMode = { type: v.maintenanceType, ...(message === '' ? {} : { message }) };
  } else if (config.maintenanceMode !== undefined) {
    remove.push('maintenanceMode');
  }
  const tuning: DatastoreTuning = {};
  if (v.chunkOrder !== '') tuning.chunkOrder = v.chunkOrder;
  if (v.syncLevel !== '') tuning.syncLevel = v.syncLevel;
  if (v.gcAtimeSafetyCheck !== '') tuning.gcAtimeSafetyCheck = v.gcAtimeSafetyCheck === 'on';
  for (const key of NUMERIC_TUNING) {
    const value = v[key];
    if (typeof value === 'number') tuning[key] = value;
  }
  if (Object.keys(tuning).length > 0) input.tuning = tuning;
  else if (config.tuning !== undefined) remove.push('tuning');
  if (remove.length > 0) input.delete = remove;
  return input;
}

function OptionsForm({
  config,
  digest,
  canModify,
  onReload,
}: {
  config: DatastoreConfig;
  digest: string;
  canModify: boolean;
  onReload: () => void;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidateDatastores();
  const form = useForm<Values>({
    initialValues: valuesOf(config),
    validate: validateAsInput(UpdateDatastoreInputSchema, (v: Values) => toInput(config, digest, v), RENAME),
  });
  const update = useMutation(
    trpc.datastore.update.mutationOptions({
      meta: { handlesErrors: true },
      onError: (err) => form.setErrors(serverFieldErrors(err, FIELDS, RENAME).errors),
      onSuccess: async () => {
        notifications.show({ color: 'green', message: `Options of ${config.name} saved` });
        await invalidate();
        form.resetDirty();
      },
    }),
  );
  const internalMode =
    config.maintenanceMode !== undefined && !['read-only', 'offline'].includes(config.maintenanceMode.type);
  return (
    <form noValidate onSubmit={form.onSubmit((v) => update.mutate(toInput(config, digest, v)))}>
      <fieldset disabled={!canModify} style={{ border: 0, padding: 0, margin: 0 }}>
        <Stack>
          <Card withBorder component="section" aria-label="General options">
            <Stack>
              <Title order={3} size="h4">
                General
              </Title>
              <Textarea label="Comment" autosize minRows={1} {...form.getInputProps('comment')} />
              <ScheduleInput label="GC schedule" placeholder="none" {...form.getInputProps('gcSchedule')} />
              <Checkbox
                label="Verify new snapshots"
                description="Verify every snapshot right after its backup finished"
                {...form.getInputProps('verifyNew', { type: 'checkbox' })}
              />
            </Stack>
          </Card>
          <Card withBorder component="section" aria-label="Maintenance mode">
            <Stack>
              <Title order={3} size="h4">
                Maintenance mode
              </Title>
              {internalMode && (
                <Alert color="yellow">
                  The datastore is in the internal maintenance mode &apos;{config.maintenanceMode?.type}
                  &apos;, set by a running operation.
                </Alert>
              )}
              <SegmentedControl
                aria-label="Maintenance mode"
                data={[
                  { value: 'none', label: 'None' },
                  { value: 'read-only', label: 'Read-only' },
                  { value: 'offline', label: 'Offline' },
                ]}
                {...form.getInputProps('maintenanceType')}
              />
              <Text size="xs" c="dimmed">
                Read-only refuses backups, prune, GC and other writes; offline refuses every access.
              </Text>
              <TextInput
                label="Maintenance message"
                description="Shown to clients that are refused (at most 64 characters)"
                disabled={form.values.maintenanceType === 'none'}
                {...form.getInputProps('maintenanceMessage')}
              />
            </Stack>
          </Card>
          <Card withBorder component="section" aria-label="Tuning">
            <Stack>
              <Title order={3} size="h4">
                Tuning
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <Select
                  label="Chunk order"
                  description="Order in which verify and tape backup read chunks"
                  data={[
                    { value: '', label: 'Default (inode)' },
                    { value: 'none', label: 'none' },
                    { value: 'inode', label: 'inode' },
                  ]}
                  allowDeselect={false}
                  {...form.getInputProps('chunkOrder')}
                />
                <Select
                  label="Sync level"
                  description="How writes reach the disk"
                  data={[
                    { value: '', label: 'Default (filesystem)' },
                    { value: 'none', label: 'none' },
                    { value: 'file', label: 'file' },
                    { value: 'filesystem', label: 'filesystem' },
                  ]}
                  allowDeselect={false}
                  {...form.getInputProps('syncLevel')}
                />
                <Select
                  label="GC atime safety check"
                  description="Check at GC start that the filesystem updates access times"
                  data={[
                    { value: '', label: 'Default (on)' },
                    { value: 'on', label: 'on' },
                    { value: 'off', label: 'off' },
                  ]}
                  allowDeselect={false}
                  {...form.getInputProps('gcAtimeSafetyCheck')}
                />
                <NumberInput
                  label="GC atime cutoff (minutes)"
                  description="1–2880; default 1445 (24 h 5 min)"
                  placeholder="1445"
                  min={1}
                  max={2880}
                  allowDecimal={false}
                  {...form.getInputProps('gcAtimeCutoff')}
                />
                <NumberInput
                  label="GC cache capacity"
                  description="Chunk digests GC remembers (0 disables the cache)"
                  placeholder="1048576"
                  min={0}
                  allowDecimal={false}
                  {...form.getInputProps('gcCacheCapacity')}
                />
                <NumberInput
                  label="Default verify workers"
                  placeholder="1"
                  min={1}
                  max={32}
                  allowDecimal={false}
                  {...form.getInputProps('defaultVerificationWorkers')}
                />
                <NumberInput
                  label="Default verify readers"
                  placeholder="1"
                  min={1}
                  max={32}
                  allowDecimal={false}
                  {...form.getInputProps('defaultVerificationReaders')}
                />
              </SimpleGrid>
            </Stack>
          </Card>
          {update.error !== null && !serverFieldErrors(update.error, FIELDS, RENAME).placed && (
            <FormError error={update.error} onReload={onReload} />
          )}
          {canModify && (
            <Group>
              <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
                Save options
              </Button>
              <Button variant="default" onClick={() => form.reset()} disabled={!form.isDirty()}>
                Reset
              </Button>
            </Group>
          )}
        </Stack>
      </fieldset>
    </form>
  );
}

/** /datastore/:store/options: maintenance mode, verify-new, GC schedule, tuning; remove. */
export function OptionsTab() {
  const store = useParams().store ?? '';
  const trpc = useTRPC();
  const session = useSession();
  const config = useQuery(trpc.datastore.get.queryOptions({ store }));
  const [removing, setRemoving] = useState(false);
  const canModify = session.can(datastoreAclPath(store), 'Datastore.Modify');
  const canRemove = session.can(datastoreAclPath(store), 'Datastore.Allocate');
  if (config.isPending) return <Skeleton h={320} />;
  if (config.isError) return <ErrorAlert error={config.error} onRetry={() => void config.refetch()} />;
  return (
    <Stack>
      {!canModify && (
        <Text c="dimmed" size="sm">
          You need Datastore.Modify on {datastoreAclPath(store)} to change these options.
        </Text>
      )}
      <OptionsForm
        key={config.data.digest}
        config={config.data.config}
        digest={config.data.digest}
        canModify={canModify}
        onReload={() => void config.refetch()}
      />
      {canRemove && (
        <Card withBorder component="section" aria-label="Remove datastore">
          <Group justify="space-between">
            <Stack gap={2}>
              <Title order={3} size="h4">
                Remove datastore
              </Title>
              <Text size="sm" c="dimmed">
                Removes {store} from the configuration, optionally with all its data.
              </Text>
            </Stack>
            <Button
              color="red"
              variant="light"
              leftSection={<IconTrash size={16} />}
              onClick={() => setRemoving(true)}
            >
              Remove datastore
            </Button>
          </Group>
        </Card>
      )}
      <RemoveDatastoreModal
        store={store}
        digest={config.data.digest}
        opened={removing}
        onClose={() => setRemoving(false)}
      />
    </Stack>
  );
}
