import { Badge, Button, Group, Modal, Select, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import {
  IconArrowsExchange,
  IconBarcode,
  IconEdit,
  IconLogin,
  IconLogout,
  IconPlayerEject,
  IconPlus,
  IconTrash,
  IconUpload,
} from '@tabler/icons-react';
import { useState } from 'react';
import type { ChangerElement, ChangerListItem } from '@pbs/api-types';
import { ConfirmModal } from '../../components/confirm-modal';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { FormError } from '../../components/form-error';
import { RowActions, type RowAction } from '../../components/row-actions';
import { formatBytes } from '../../lib/format';
import { ChangerModal, type ChangerModalProps } from './device-modals';
import type { ActionHandle, Loaded } from './handles';
import { BarcodeLabelModal } from './media-dialogs';

export interface ChangersViewProps {
  changers: Loaded<{ digest: string; items: ChangerListItem[] }>;
  /** the changer whose slots are shown */
  selected: string | null;
  onSelect: (name: string) => void;
  status: Loaded<ChangerElement[]>;
  mayModify: boolean;
  /** Tape.Read on the changer: move cartridges */
  mayOperate: boolean;
  create: ChangerModalProps['create'];
  update: ChangerModalProps['update'];
  remove: ActionHandle<{ name: string; digest?: string }>;
  loadSlot: ActionHandle<{ drive: string; sourceSlot: number }>;
  unload: ActionHandle<{ drive: string; targetSlot?: number }>;
  transfer: ActionHandle<{ name: string; from: number; to: number }>;
  pools: string[];
  barcodeLabel: ActionHandle<{ drive: string; pool?: string }>;
}

type Dialog =
  | { kind: 'edit'; changer: ChangerListItem | null }
  | { kind: 'remove'; changer: ChangerListItem }
  | { kind: 'load'; slot: ChangerElement }
  | { kind: 'transfer'; slot: ChangerElement }
  | { kind: 'barcode' };

function elementName(e: ChangerElement): string {
  if (e.entryKind === 'drive') return `drive ${e.driveName ?? e.entryId}`;
  return `${e.entryKind === 'import-export' ? 'import/export slot' : 'slot'} ${e.entryId}`;
}

function PickModal(props: {
  title: string;
  label: string;
  options: { value: string; label: string }[];
  submit: string;
  handle: { isPending: boolean; error: unknown };
  onPick: (value: string) => void;
  onClose: () => void;
}) {
  const [value, setValue] = useState<string | null>(props.options[0]?.value ?? null);
  return (
    <Modal opened onClose={props.onClose} title={props.title}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (value !== null) props.onPick(value);
        }}
      >
        <Stack>
          <Select
            label={props.label}
            required
            data={props.options}
            value={value}
            onChange={setValue}
            allowDeselect={false}
          />
          {props.handle.error != null && <FormError error={props.handle.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={props.handle.isPending} disabled={value === null}>
              {props.submit}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Changers: the virtual libraries, and the selected one's slots, drives and mail slots. */
export function ChangersView(props: ChangersViewProps) {
  const { changers, selected, status, mayModify, mayOperate } = props;
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const digest = changers.data?.digest ?? '';
  const elements = status.data ?? [];
  const slots = elements.filter((e) => e.entryKind !== 'drive');
  const drives = elements.filter((e) => e.entryKind === 'drive');
  const freeSlot = (kind: ChangerElement['entryKind']) =>
    slots.find((e) => e.entryKind === kind && e.labelText === undefined);
  const close = () => {
    for (const h of [
      props.create,
      props.update,
      props.remove,
      props.loadSlot,
      props.transfer,
      props.barcodeLabel,
    ])
      h.reset();
    setDialog(null);
  };
  const transfer = (from: number, to: number) =>
    selected !== null && props.transfer.mutate({ name: selected, from, to }, { onSuccess: close });

  const changerColumns: Column<ChangerListItem>[] = [
    {
      key: 'name',
      header: 'Changer',
      render: (c) => (
        <Button
          variant={c.name === selected ? 'light' : 'subtle'}
          size="compact-sm"
          onClick={() => props.onSelect(c.name)}
        >
          {c.name}
        </Button>
      ),
    },
    { key: 'slots', header: 'Slots', width: 80, render: (c) => c.slots },
    { key: 'export', header: 'Import/export slots', render: (c) => c.exportSlots ?? 'none' },
    { key: 'capacity', header: 'Tape capacity', render: (c) => formatBytes(c.maxSize ?? 64 * 1024 * 1024) },
    { key: 'path', header: 'Directory', render: (c) => c.path },
    { key: 'comment', header: 'Comment', render: (c) => c.comment ?? '' },
    {
      key: 'actions',
      header: <VisuallyHidden>Actions</VisuallyHidden>,
      width: 90,
      render: (c) =>
        mayModify ? (
          <RowActions
            actions={[
              {
                label: `Edit tape changer ${c.name}`,
                icon: <IconEdit size={16} />,
                onClick: () => setDialog({ kind: 'edit', changer: c }),
              },
              {
                label: `Remove tape changer ${c.name}`,
                icon: <IconTrash size={16} />,
                color: 'red',
                onClick: () => setDialog({ kind: 'remove', changer: c }),
              },
            ]}
          />
        ) : null,
    },
  ];

  const slotActions = (e: ChangerElement): RowAction[] => {
    if (!mayOperate) return [];
    const name = elementName(e);
    if (e.entryKind === 'drive') {
      return e.labelText === undefined || e.driveName === undefined
        ? []
        : [
            {
              label: `Unload ${e.labelText} from ${name}`,
              icon: <IconPlayerEject size={16} />,
              onClick: () => props.unload.mutate({ drive: e.driveName ?? '' }),
            },
          ];
    }
    if (e.labelText === undefined) return [];
    const list: RowAction[] = [];
    if (e.entryKind === 'slot') {
      list.push({
        label: `Load ${e.labelText} from ${name}`,
        icon: <IconUpload size={16} />,
        onClick: () => setDialog({ kind: 'load', slot: e }),
      });
      const mail = freeSlot('import-export');
      if (mail !== undefined)
        list.push({
          label: `Export ${e.labelText} from ${name}`,
          icon: <IconLogout size={16} />,
          onClick: () => transfer(e.entryId, mail.entryId),
        });
    } else {
      const free = freeSlot('slot');
      if (free !== undefined)
        list.push({
          label: `Import ${e.labelText} from ${name}`,
          icon: <IconLogin size={16} />,
          onClick: () => transfer(e.entryId, free.entryId),
        });
    }
    list.push({
      label: `Transfer ${e.labelText} from ${name}`,
      icon: <IconArrowsExchange size={16} />,
      onClick: () => setDialog({ kind: 'transfer', slot: e }),
    });
    return list;
  };

  const slotColumns: Column<ChangerElement>[] = [
    { key: 'id', header: 'Element', width: 200, render: (e) => elementName(e) },
    {
      key: 'kind',
      header: 'Kind',
      width: 140,
      render: (e) => (
        <Badge
          variant="light"
          color={e.entryKind === 'drive' ? 'blue' : e.entryKind === 'import-export' ? 'orange' : 'gray'}
        >
          {e.entryKind}
        </Badge>
      ),
    },
    {
      key: 'label',
      header: 'Media',
      render: (e) =>
        e.labelText ?? (
          <Text c="dimmed" size="sm">
            empty
          </Text>
        ),
    },
    {
      key: 'from',
      header: 'Loaded from',
      width: 120,
      render: (e) => (e.loadedSlot === undefined ? '' : `slot ${e.loadedSlot}`),
    },
    {
      key: 'actions',
      header: <VisuallyHidden>Actions</VisuallyHidden>,
      width: 170,
      render: (e) => <RowActions actions={slotActions(e)} />,
    },
  ];

  const driveOptions = drives
    .filter((d) => d.driveName !== undefined)
    .map((d) => ({
      value: d.driveName ?? '',
      label: `${d.driveName ?? ''}${d.labelText !== undefined ? ` (holds ${d.labelText})` : ''}`,
    }));
  const transferTargets = (from: number) =>
    slots
      .filter((s) => s.entryId !== from && s.labelText === undefined)
      .map((s) => ({ value: String(s.entryId), label: elementName(s) }));

  return (
    <Stack gap="sm">
      <Stack gap="sm" component="section" aria-label="Tape changers">
        <Group justify="flex-end">
          {mayModify && (
            <Button
              size="xs"
              leftSection={<IconPlus size={14} />}
              onClick={() => setDialog({ kind: 'edit', changer: null })}
            >
              Add tape changer
            </Button>
          )}
        </Group>
        {changers.error != null && <ErrorAlert error={changers.error} onRetry={changers.retry} />}
        <DataTable
          label="Tape changers"
          columns={changerColumns}
          rows={changers.data?.items ?? []}
          rowKey={(c) => c.name}
          loading={changers.loading}
          isCurrent={(c) => c.name === selected}
          maxHeight="30vh"
          empty="No tape changers. A virtual changer is a tape library in a directory."
        />
      </Stack>
      {selected !== null && (
        <Stack gap="sm" component="section" aria-label={`Slots of changer ${selected}`}>
          <Group justify="space-between">
            <Title order={3} size="h4">
              {`Changer ${selected}`}
            </Title>
            {mayOperate && driveOptions.length > 0 && (
              <Button
                size="xs"
                variant="default"
                leftSection={<IconBarcode size={14} />}
                onClick={() => setDialog({ kind: 'barcode' })}
              >
                Barcode label media
              </Button>
            )}
          </Group>
          {status.error != null && <ErrorAlert error={status.error} onRetry={status.retry} />}
          {[props.unload, props.transfer].map((h, i) =>
            h.error != null && dialog === null ? <ErrorAlert key={i} error={h.error} /> : null,
          )}
          <DataTable
            label={`Slots of changer ${selected}`}
            columns={slotColumns}
            rows={elements}
            rowKey={(e) => `${e.entryKind}-${e.entryId}`}
            loading={status.loading}
            empty="The changer reports no slots."
          />
        </Stack>
      )}
      {dialog?.kind === 'edit' && (
        <ChangerModal
          changer={dialog.changer}
          digest={digest}
          create={props.create}
          update={props.update}
          onClose={close}
        />
      )}
      {dialog?.kind === 'remove' && (
        <ConfirmModal
          opened
          onClose={close}
          title="Remove tape changer"
          confirmLabel="Remove tape changer"
          loading={props.remove.isPending}
          error={props.remove.error}
          onConfirm={() => props.remove.mutate({ name: dialog.changer.name, digest }, { onSuccess: close })}
        >
          {`Remove the changer '${dialog.changer.name}' from the configuration? Its tapes are not touched.`}
        </ConfirmModal>
      )}
      {dialog?.kind === 'barcode' && (
        <BarcodeLabelModal
          drives={driveOptions.map((d) => d.value)}
          pools={props.pools}
          barcodeLabel={props.barcodeLabel}
          onClose={close}
        />
      )}
      {dialog?.kind === 'load' && (
        <PickModal
          title={`Load ${dialog.slot.labelText ?? ''}`}
          label="Drive"
          options={driveOptions}
          submit="Load media"
          handle={props.loadSlot}
          onPick={(drive) =>
            props.loadSlot.mutate({ drive, sourceSlot: dialog.slot.entryId }, { onSuccess: close })
          }
          onClose={close}
        />
      )}
      {dialog?.kind === 'transfer' && (
        <PickModal
          title={`Transfer ${dialog.slot.labelText ?? ''}`}
          label="Target slot"
          options={transferTargets(dialog.slot.entryId)}
          submit="Transfer media"
          handle={props.transfer}
          onPick={(to) => transfer(dialog.slot.entryId, Number(to))}
          onClose={close}
        />
      )}
    </Stack>
  );
}
