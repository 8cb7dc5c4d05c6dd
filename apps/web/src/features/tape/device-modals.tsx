/**
 * Add or edit the virtual tape devices of tape.cfg: a drive (standalone, or drive N of a
 * changer) and a changer (a library of slots, some of them import/export slots).
 */
import { Button, Group, Modal, NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import {
  UpdateChangerInputSchema,
  UpdateDriveInputSchema,
  VirtualChangerConfigSchema,
  VirtualDriveConfigSchema,
  type VirtualChangerConfig,
  type VirtualDriveConfig,
} from '@pbs/api-types';
import type { z } from 'zod';
import { FormError } from '../../components/form-error';
import { validateAsInput } from '../../lib/form';
import { useServerFieldErrors, type ActionHandle } from './handles';

export type UpdateDriveInput = z.input<typeof UpdateDriveInputSchema>;
export type UpdateChangerInput = z.input<typeof UpdateChangerInputSchema>;

const MIB = 1024 * 1024;

/** capacity in MiB in the form, bytes in the config */
function mib(bytes: number | undefined): number | string {
  return bytes === undefined ? '' : bytes / MIB;
}

function FormButtons({
  isNew,
  noun,
  pending,
  onClose,
}: {
  isNew: boolean;
  noun: string;
  pending: boolean;
  onClose: () => void;
}) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onClose}>
        Cancel
      </Button>
      <Button type="submit" loading={pending}>
        {isNew ? `Add ${noun}` : 'Save'}
      </Button>
    </Group>
  );
}

// ------------------------------------------------------------------------------------ drive

interface DriveValues {
  name: string;
  path: string;
  maxSizeMib: number | string;
  changer: string | null;
  changerDrivenum: number | string;
  comment: string;
}
const DRIVE_FIELDS = ['name', 'path', 'maxSizeMib', 'changer', 'changerDrivenum', 'comment'];
const DRIVE_RENAME = { maxSize: 'maxSizeMib' };

function driveConfig(v: DriveValues): VirtualDriveConfig {
  const drive: VirtualDriveConfig = { name: v.name.trim(), path: v.path.trim() };
  if (typeof v.maxSizeMib === 'number') drive.maxSize = Math.round(v.maxSizeMib * MIB);
  if (v.changer !== null && v.changer !== '') {
    drive.changer = v.changer;
    drive.changerDrivenum = typeof v.changerDrivenum === 'number' ? v.changerDrivenum : 0;
  }
  if (v.comment.trim() !== '') drive.comment = v.comment.trim();
  return drive;
}

function driveUpdate(old: VirtualDriveConfig, digest: string, v: DriveValues): UpdateDriveInput {
  const { name: _name, ...next } = driveConfig(v);
  const input: UpdateDriveInput = { name: old.name, digest, ...next };
  const remove = (['maxSize', 'changer', 'changerDrivenum', 'comment'] as const).filter(
    (key) => old[key] !== undefined && next[key] === undefined,
  );
  if (remove.length > 0) input.delete = remove;
  return input;
}

export interface DriveModalProps {
  drive: VirtualDriveConfig | null;
  digest: string;
  changers: string[];
  create: ActionHandle<VirtualDriveConfig>;
  update: ActionHandle<UpdateDriveInput>;
  onClose: () => void;
}

export function DriveModal({ drive, digest, changers, create, update, onClose }: DriveModalProps) {
  const isNew = drive === null;
  const form = useForm<DriveValues>({
    initialValues: {
      name: drive?.name ?? '',
      path: drive?.path ?? '',
      maxSizeMib: mib(drive?.maxSize),
      changer: drive?.changer ?? null,
      changerDrivenum: drive?.changerDrivenum ?? '',
      comment: drive?.comment ?? '',
    },
    validate: isNew
      ? validateAsInput(VirtualDriveConfigSchema, driveConfig, DRIVE_RENAME)
      : validateAsInput(
          UpdateDriveInputSchema,
          (v: DriveValues) => driveUpdate(drive, digest, v),
          DRIVE_RENAME,
        ),
  });
  const mutation = isNew ? create : update;
  const placed = useServerFieldErrors(form, mutation.error, DRIVE_FIELDS);
  const onSubmit = (v: DriveValues) => {
    if (isNew) create.mutate(driveConfig(v), { onSuccess: onClose });
    else update.mutate(driveUpdate(drive, digest, v), { onSuccess: onClose });
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={isNew ? 'Add tape drive' : `Edit tape drive ${drive.name}`}
      size="lg"
    >
      <form noValidate onSubmit={form.onSubmit(onSubmit)}>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Drive name"
              required
              disabled={!isNew}
              data-autofocus
              {...form.getInputProps('name')}
            />
            <TextInput
              label="Directory"
              required
              description="Where the virtual tapes live (a drive in a changer uses the changer's)"
              {...form.getInputProps('path')}
            />
            <NumberInput
              label="Tape capacity (MiB)"
              placeholder="64"
              min={1}
              {...form.getInputProps('maxSizeMib')}
            />
            <Select
              label="Changer"
              placeholder="standalone drive"
              data={changers}
              clearable
              {...form.getInputProps('changer')}
            />
            <NumberInput
              label="Drive number in the changer"
              placeholder="0"
              min={0}
              max={255}
              allowDecimal={false}
              disabled={form.values.changer === null}
              {...form.getInputProps('changerDrivenum')}
            />
            <TextInput label="Comment" {...form.getInputProps('comment')} />
          </SimpleGrid>
          {mutation.error != null && !placed && <FormError error={mutation.error} />}
          <FormButtons isNew={isNew} noun="tape drive" pending={mutation.isPending} onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

// ---------------------------------------------------------------------------------- changer

interface ChangerValues {
  name: string;
  path: string;
  slots: number | string;
  exportSlots: string;
  maxSizeMib: number | string;
  comment: string;
}
const CHANGER_FIELDS = ['name', 'path', 'slots', 'exportSlots', 'maxSizeMib', 'comment'];
const CHANGER_RENAME = { maxSize: 'maxSizeMib' };

/** '7, 8' → '7,8' (tape.cfg's comma-separated slot list) */
function normalizeSlots(text: string): string {
  return text
    .split(/[\s,;]+/)
    .filter((s) => s !== '')
    .join(',');
}

function changerConfig(v: ChangerValues): VirtualChangerConfig {
  const changer: VirtualChangerConfig = {
    name: v.name.trim(),
    path: v.path.trim(),
    slots: typeof v.slots === 'number' ? v.slots : NaN,
  };
  const exportSlots = normalizeSlots(v.exportSlots);
  if (exportSlots !== '') changer.exportSlots = exportSlots;
  if (typeof v.maxSizeMib === 'number') changer.maxSize = Math.round(v.maxSizeMib * MIB);
  if (v.comment.trim() !== '') changer.comment = v.comment.trim();
  return changer;
}

function changerUpdate(old: VirtualChangerConfig, digest: string, v: ChangerValues): UpdateChangerInput {
  const { name: _name, ...next } = changerConfig(v);
  const input: UpdateChangerInput = { name: old.name, digest, ...next };
  const remove = (['exportSlots', 'maxSize', 'comment'] as const).filter(
    (key) => old[key] !== undefined && next[key] === undefined,
  );
  if (remove.length > 0) input.delete = remove;
  return input;
}

export interface ChangerModalProps {
  changer: VirtualChangerConfig | null;
  digest: string;
  create: ActionHandle<VirtualChangerConfig>;
  update: ActionHandle<UpdateChangerInput>;
  onClose: () => void;
}

export function ChangerModal({ changer, digest, create, update, onClose }: ChangerModalProps) {
  const isNew = changer === null;
  const form = useForm<ChangerValues>({
    initialValues: {
      name: changer?.name ?? '',
      path: changer?.path ?? '',
      slots: changer?.slots ?? 8,
      exportSlots: changer?.exportSlots ?? '',
      maxSizeMib: mib(changer?.maxSize),
      comment: changer?.comment ?? '',
    },
    validate: isNew
      ? validateAsInput(VirtualChangerConfigSchema, changerConfig, CHANGER_RENAME)
      : validateAsInput(
          UpdateChangerInputSchema,
          (v: ChangerValues) => changerUpdate(changer, digest, v),
          CHANGER_RENAME,
        ),
  });
  const mutation = isNew ? create : update;
  const placed = useServerFieldErrors(form, mutation.error, CHANGER_FIELDS);
  const onSubmit = (v: ChangerValues) => {
    if (isNew) create.mutate(changerConfig(v), { onSuccess: onClose });
    else update.mutate(changerUpdate(changer, digest, v), { onSuccess: onClose });
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={isNew ? 'Add tape changer' : `Edit tape changer ${changer.name}`}
      size="lg"
    >
      <form noValidate onSubmit={form.onSubmit(onSubmit)}>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Changer name"
              required
              disabled={!isNew}
              data-autofocus
              {...form.getInputProps('name')}
            />
            <TextInput
              label="Directory"
              required
              description="Where the virtual library keeps its tapes"
              {...form.getInputProps('path')}
            />
            <NumberInput
              label="Slots"
              required
              min={1}
              max={1024}
              allowDecimal={false}
              {...form.getInputProps('slots')}
            />
            <TextInput
              label="Import/export slots"
              placeholder="none"
              description="Slot numbers, e.g. 7, 8"
              {...form.getInputProps('exportSlots')}
            />
            <NumberInput
              label="Tape capacity (MiB)"
              placeholder="64"
              min={1}
              {...form.getInputProps('maxSizeMib')}
            />
            <TextInput label="Comment" {...form.getInputProps('comment')} />
          </SimpleGrid>
          {mutation.error != null && !placed && <FormError error={mutation.error} />}
          <FormButtons isNew={isNew} noun="tape changer" pending={mutation.isPending} onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
