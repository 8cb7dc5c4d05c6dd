/**
 * Dialogs for operations on media: label a new tape, update the inventory from a drive or
 * changer, move a medium to a vault or offline, format (erase) the tape in a drive. The ones
 * that touch a drive start a worker task; the caller shows its notice.
 */
import { Button, Checkbox, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { FormatMediaInputSchema, UpdateInventoryInputSchema } from '@pbs/api-types';
import { LabelMediaInputSchema, MoveMediaInputSchema } from '@pbs/api-types';
import type { z } from 'zod';
import { ConfirmModal } from '../../components/confirm-modal';
import { FormError } from '../../components/form-error';
import { validateAsInput } from '../../lib/form';
import { useServerFieldErrors, type ActionHandle } from './handles';

export type LabelMediaInput = z.input<typeof LabelMediaInputSchema>;
export type UpdateInventoryInput = z.input<typeof UpdateInventoryInputSchema>;
export type MoveMediaInput = z.input<typeof MoveMediaInputSchema>;
export type FormatMediaInput = z.input<typeof FormatMediaInputSchema>;

function Buttons({ submit, pending, onClose }: { submit: string; pending: boolean; onClose: () => void }) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onClose}>
        Cancel
      </Button>
      <Button type="submit" loading={pending}>
        {submit}
      </Button>
    </Group>
  );
}

// ------------------------------------------------------------------------------ label media

export interface LabelMediaModalProps {
  drives: string[];
  pools: string[];
  /** preselected drive */
  drive?: string;
  label: ActionHandle<LabelMediaInput>;
  onClose: () => void;
}

interface LabelValues {
  drive: string | null;
  labelText: string;
  pool: string | null;
}

function labelInput(v: LabelValues): LabelMediaInput {
  const input: LabelMediaInput = { drive: v.drive ?? '', labelText: v.labelText.trim() };
  if (v.pool !== null && v.pool !== '') input.pool = v.pool;
  return input;
}

/** Label a new medium: a drive in a changer loads the tape with that label first. */
export function LabelMediaModal({ drives, pools, drive, label, onClose }: LabelMediaModalProps) {
  const form = useForm<LabelValues>({
    initialValues: { drive: drive ?? drives[0] ?? null, labelText: '', pool: null },
    validate: validateAsInput(LabelMediaInputSchema, labelInput),
  });
  const placed = useServerFieldErrors(form, label.error, ['drive', 'labelText', 'pool']);
  return (
    <Modal opened onClose={onClose} title="Label media">
      <form noValidate onSubmit={form.onSubmit((v) => label.mutate(labelInput(v), { onSuccess: onClose }))}>
        <Stack>
          <Select
            label="Drive"
            required
            data={drives}
            allowDeselect={false}
            {...form.getInputProps('drive')}
          />
          <TextInput
            label="Label text"
            required
            data-autofocus
            description="Written on the tape; a changer loads the cartridge with this barcode"
            {...form.getInputProps('labelText')}
          />
          <Select
            label="Media pool"
            placeholder="none (free media)"
            data={pools}
            clearable
            {...form.getInputProps('pool')}
          />
          {label.error != null && !placed && <FormError error={label.error} />}
          <Buttons submit="Label media" pending={label.isPending} onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

// ------------------------------------------------------------------------ update inventory

export interface UpdateInventoryModalProps {
  drives: string[];
  drive?: string;
  update: ActionHandle<UpdateInventoryInput>;
  onClose: () => void;
}

/** Read the labels of the changer's tapes through a drive and store them in the inventory. */
export function UpdateInventoryModal({ drives, drive, update, onClose }: UpdateInventoryModalProps) {
  const [selected, setSelected] = useState<string | null>(drive ?? drives[0] ?? null);
  const [readAll, setReadAll] = useState(false);
  const [catalog, setCatalog] = useState(false);
  return (
    <Modal opened onClose={onClose} title="Update inventory">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (selected === null) return;
          update.mutate(
            { drive: selected, readAllLabels: readAll || undefined, catalog: catalog || undefined },
            { onSuccess: onClose },
          );
        }}
      >
        <Stack>
          <Select
            label="Drive"
            required
            data={drives}
            value={selected}
            onChange={setSelected}
            allowDeselect={false}
          />
          <Checkbox
            label="Read all labels"
            description="Also re-read the tapes the inventory already knows"
            checked={readAll}
            onChange={(e) => setReadAll(e.currentTarget.checked)}
          />
          <Checkbox
            label="Restore missing catalogs"
            description="Read the media catalog from tapes whose catalog is missing on the server"
            checked={catalog}
            onChange={(e) => setCatalog(e.currentTarget.checked)}
          />
          {update.error != null && <FormError error={update.error} />}
          <Buttons submit="Update inventory" pending={update.isPending} onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

// ------------------------------------------------------------------------------ move media

export interface MoveMediaModalProps {
  labelText: string;
  uuid: string;
  move: ActionHandle<MoveMediaInput>;
  onClose: () => void;
}

interface MoveValues {
  where: 'vault' | 'offline';
  vaultName: string;
}

function moveInput(uuid: string, v: MoveValues): MoveMediaInput {
  return v.where === 'vault' ? { uuid, vaultName: v.vaultName.trim() } : { uuid };
}

/** Set a medium's location: a named vault, or offline. */
export function MoveMediaModal({ labelText, uuid, move, onClose }: MoveMediaModalProps) {
  const form = useForm<MoveValues>({
    initialValues: { where: 'vault', vaultName: '' },
    validate: (v) => ({
      ...validateAsInput(MoveMediaInputSchema, (x: MoveValues) => moveInput(uuid, x), {
        vaultName: 'vaultName',
      })(v),
      ...(v.where === 'vault' && v.vaultName.trim() === '' ? { vaultName: 'name the vault' } : {}),
    }),
  });
  return (
    <Modal opened onClose={onClose} title={`Move media ${labelText}`}>
      <form
        noValidate
        onSubmit={form.onSubmit((v) => move.mutate(moveInput(uuid, v), { onSuccess: onClose }))}
      >
        <Stack>
          <Select
            label="New location"
            data={[
              { value: 'vault', label: 'Vault' },
              { value: 'offline', label: 'Offline' },
            ]}
            allowDeselect={false}
            {...form.getInputProps('where')}
          />
          {form.values.where === 'vault' && (
            <TextInput label="Vault name" required data-autofocus {...form.getInputProps('vaultName')} />
          )}
          {move.error != null && <FormError error={move.error} />}
          <Buttons submit="Move media" pending={move.isPending} onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

// ---------------------------------------------------------------------------- format media

export interface FormatMediaModalProps {
  /** the medium expected in the drive; undefined: whatever is loaded */
  labelText?: string;
  drives: string[];
  drive?: string;
  format: ActionHandle<FormatMediaInput>;
  onClose: () => void;
}

/** Erase the tape in a drive (refused when another medium than `labelText` is loaded). */
export function FormatMediaModal({ labelText, drives, drive, format, onClose }: FormatMediaModalProps) {
  const [selected, setSelected] = useState<string | null>(drive ?? drives[0] ?? null);
  const [fast, setFast] = useState(true);
  const what = labelText === undefined ? 'the tape in the drive' : `media '${labelText}'`;
  return (
    <ConfirmModal
      opened
      onClose={onClose}
      title={labelText === undefined ? 'Format media' : `Format media ${labelText}`}
      confirmLabel="Format media"
      loading={format.isPending}
      error={format.error}
      confirmDisabled={selected === null}
      onConfirm={() =>
        selected !== null &&
        format.mutate({ drive: selected, labelText, fast: fast || undefined }, { onSuccess: onClose })
      }
    >
      <Stack>
        <Text>{`Erase ${what}? Everything on it, including its label, is lost.`}</Text>
        <Select
          label="Drive"
          required
          data={drives}
          value={selected}
          onChange={setSelected}
          allowDeselect={false}
        />
        <Checkbox
          label="Fast erase"
          description="Only write a new beginning of tape"
          checked={fast}
          onChange={(e) => setFast(e.currentTarget.checked)}
        />
      </Stack>
    </ConfirmModal>
  );
}

// ------------------------------------------------------------------------------ set status

export interface SetMediaStatusInput {
  uuid: string;
  status?: 'full' | 'damaged' | 'retired';
}

export interface SetStatusModalProps {
  labelText: string;
  uuid: string;
  setStatus: ActionHandle<SetMediaStatusInput>;
  onClose: () => void;
}

const STATUS_CHOICES = [
  { value: 'clear', label: 'Clear (computed from the pool)' },
  { value: 'full', label: 'Full' },
  { value: 'damaged', label: 'Damaged' },
  { value: 'retired', label: 'Retired' },
];

/** Mark a medium full, damaged or retired, or clear the mark. */
export function SetStatusModal({ labelText, uuid, setStatus, onClose }: SetStatusModalProps) {
  const [status, setValue] = useState<string | null>('clear');
  return (
    <Modal opened onClose={onClose} title={`Set status of media ${labelText}`}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const mark = status === 'full' || status === 'damaged' || status === 'retired' ? status : undefined;
          setStatus.mutate(mark === undefined ? { uuid } : { uuid, status: mark }, { onSuccess: onClose });
        }}
      >
        <Stack>
          <Select
            label="Status"
            data={STATUS_CHOICES}
            value={status}
            onChange={setValue}
            allowDeselect={false}
          />
          {setStatus.error != null && <FormError error={setStatus.error} />}
          <Buttons submit="Set status" pending={setStatus.isPending} onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

// ---------------------------------------------------------------------------- barcode label

export interface BarcodeLabelModalProps {
  drives: string[];
  pools: string[];
  barcodeLabel: ActionHandle<{ drive: string; pool?: string }>;
  onClose: () => void;
}

/** Label every unlabeled cartridge of a changer with its barcode, through one of its drives. */
export function BarcodeLabelModal({ drives, pools, barcodeLabel, onClose }: BarcodeLabelModalProps) {
  const [drive, setDrive] = useState<string | null>(drives[0] ?? null);
  const [pool, setPool] = useState<string | null>(null);
  return (
    <Modal opened onClose={onClose} title="Barcode label media">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (drive === null) return;
          barcodeLabel.mutate(pool === null ? { drive } : { drive, pool }, { onSuccess: onClose });
        }}
      >
        <Stack>
          <Text size="sm">Every cartridge without a label gets its barcode as label text.</Text>
          <Select
            label="Drive"
            required
            data={drives}
            value={drive}
            onChange={setDrive}
            allowDeselect={false}
          />
          <Select
            label="Media pool"
            placeholder="none (free media)"
            data={pools}
            value={pool}
            onChange={setPool}
            clearable
          />
          {barcodeLabel.error != null && <FormError error={barcodeLabel.error} />}
          <Buttons submit="Label media" pending={barcodeLabel.isPending} onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
