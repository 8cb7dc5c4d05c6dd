/**
 * The tape restore wizard (/tape/restore): media set → snapshots (all, or a chosen few) →
 * drive, target datastore and namespace → confirm. Starting it opens the restore task's page.
 * The media set and snapshots may come preset in the URL (Content's restore actions).
 */
import {
  Autocomplete,
  Button,
  Checkbox,
  Group,
  Radio,
  ScrollArea,
  Select,
  Stack,
  Stepper,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { NamespaceSchema, TapeRestoreInputSchema, type TapeRestoreInput } from '@pbs/api-types';
import { ErrorAlert } from '../../components/error-alert';
import { FormError } from '../../components/form-error';
import { formatEpoch } from '../../lib/format';
import { taskPath } from '../../lib/task-search';
import { useTRPC } from '../../lib/trpc';
import { useDatastoreList } from '../../lib/use-datastores';
import { snapshotsBySet } from './content-view';
import { readRestoreParams } from './tape-paths';
import { names, useTapeDrives } from './use-tape';

/** The restore input: every source store goes to `store`; the snapshots keep their namespace below `ns`. */
export function restoreInput(opts: {
  drive: string;
  mediaSet: string;
  store: string;
  ns: string;
  sourceStores: readonly string[];
  snapshots: readonly string[] | 'all';
}): TapeRestoreInput {
  const input: TapeRestoreInput = { drive: opts.drive, mediaSet: opts.mediaSet, store: opts.store };
  if (opts.snapshots !== 'all') input.snapshots = [...opts.snapshots];
  const ns = opts.ns.trim();
  if (ns !== '') input.namespaces = opts.sourceStores.map((store) => ({ store, source: '', target: ns }));
  return input;
}

export function RestoreWizard() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const preset = readRestoreParams(params);
  const [step, setStep] = useState(0);
  const [mediaSet, setMediaSet] = useState<string | null>(preset.mediaSet);
  const [mode, setMode] = useState<'all' | 'some'>(preset.snapshots.length > 0 ? 'some' : 'all');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set(preset.snapshots));
  const [drive, setDrive] = useState<string | null>(null);
  const [store, setStore] = useState<string | null>(null);
  const [ns, setNs] = useState('');

  const sets = useQuery(trpc.tapeMedia.mediaSets.queryOptions());
  const content = useQuery({
    ...trpc.tapeMedia.content.queryOptions({ mediaSet: mediaSet ?? undefined }),
    enabled: mediaSet !== null,
  });
  const drives = useTapeDrives();
  const datastores = useDatastoreList();
  const namespaces = useQuery({
    ...trpc.namespace.list.queryOptions({ store: store ?? '' }),
    enabled: store !== null,
  });
  const restore = useMutation(
    trpc.tape.restore.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: ({ taskId }) => void navigate(taskPath(taskId)),
    }),
  );

  const snapshots = useMemo(
    () => (mediaSet === null ? [] : (snapshotsBySet(content.data ?? []).get(mediaSet) ?? [])),
    [content.data, mediaSet],
  );
  const set = (sets.data ?? []).find((s) => s.mediaSetUuid === mediaSet);
  const driveNames = names(drives);
  const storeNames = (datastores.data ?? []).map((d) => d.store);
  const effectiveDrive = drive ?? driveNames[0] ?? null;
  const selected =
    mode === 'all' ? snapshots.map((s) => s.key) : snapshots.map((s) => s.key).filter((k) => chosen.has(k));
  const sourceStores = [
    ...new Set(snapshots.filter((s) => mode === 'all' || chosen.has(s.key)).map((s) => s.store)),
  ];
  const nsError =
    ns.trim() === '' ? null : (NamespaceSchema.safeParse(ns.trim()).error?.issues[0]?.message ?? null);
  const input =
    mediaSet !== null && effectiveDrive !== null && store !== null
      ? restoreInput({
          drive: effectiveDrive,
          mediaSet,
          store,
          ns,
          sourceStores,
          snapshots: mode === 'all' ? 'all' : selected,
        })
      : null;
  const inputError =
    input === null ? null : (TapeRestoreInputSchema.safeParse(input).error?.issues[0]?.message ?? null);

  const toggle = (key: string, on: boolean) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });

  const canNext = [
    mediaSet !== null,
    snapshots.length > 0 && selected.length > 0,
    effectiveDrive !== null && store !== null && nsError === null,
  ];

  return (
    <Stack component="section" aria-label="Restore from tape">
      <Title order={3} size="h4">
        Restore from tape
      </Title>
      <Stepper active={step} onStepClick={(s) => s < step && setStep(s)} allowNextStepsSelect={false}>
        <Stepper.Step label="Media set" description={set?.mediaSetName ?? 'choose'}>
          <Stack maw={560}>
            {sets.error != null && <ErrorAlert error={sets.error} onRetry={() => void sets.refetch()} />}
            <Select
              label="Media set"
              placeholder={sets.isPending ? 'loading…' : 'choose a media set'}
              data={(sets.data ?? []).map((s) => ({
                value: s.mediaSetUuid,
                label: `${s.mediaSetName} (pool ${s.pool}; ${s.media.map((m) => m ?? '?').join(', ')})`,
              }))}
              value={mediaSet}
              onChange={(value) => {
                setMediaSet(value);
                setChosen(new Set());
                setMode('all');
              }}
              searchable
              nothingFoundMessage="No media sets"
            />
          </Stack>
        </Stepper.Step>
        <Stepper.Step label="Snapshots" description={mode === 'all' ? 'all' : `${selected.length} chosen`}>
          <Stack>
            {content.error != null && (
              <ErrorAlert error={content.error} onRetry={() => void content.refetch()} />
            )}
            <Radio.Group
              label="Restore"
              value={mode}
              onChange={(v) => setMode(v === 'some' ? 'some' : 'all')}
            >
              <Group mt="xs">
                <Radio value="all" label={`All snapshots of the media set (${snapshots.length})`} />
                <Radio value="some" label="Chosen snapshots" />
              </Group>
            </Radio.Group>
            {mode === 'some' && (
              <ScrollArea.Autosize mah="45vh">
                <Table aria-label="Snapshots on the media set" highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={40} />
                      <Table.Th>Snapshot</Table.Th>
                      <Table.Th>Backup time</Table.Th>
                      <Table.Th>Media</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {snapshots.map((s) => (
                      <Table.Tr key={s.key}>
                        <Table.Td>
                          <Checkbox
                            aria-label={`Restore snapshot ${s.key}`}
                            checked={chosen.has(s.key)}
                            onChange={(e) => toggle(s.key, e.currentTarget.checked)}
                          />
                        </Table.Td>
                        <Table.Td style={{ wordBreak: 'break-all' }}>{s.key}</Table.Td>
                        <Table.Td>{formatEpoch(s.backupTime)}</Table.Td>
                        <Table.Td>{s.media.join(', ')}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
            )}
            {!content.isPending && snapshots.length === 0 && (
              <Text c="dimmed">The media set holds no snapshots (or its catalog is missing).</Text>
            )}
          </Stack>
        </Stepper.Step>
        <Stepper.Step label="Target" description={store ?? 'datastore and namespace'}>
          <Stack maw={560}>
            <Select
              label="Drive"
              description="The drive that reads the tapes (a changer loads them)"
              data={driveNames}
              value={effectiveDrive}
              onChange={setDrive}
              allowDeselect={false}
            />
            <Select
              label="Target datastore"
              data={storeNames}
              value={store}
              onChange={setStore}
              allowDeselect={false}
              placeholder="choose a datastore"
            />
            <Autocomplete
              label="Target namespace"
              placeholder="root namespace"
              description="Snapshots keep their own namespace below this one; it is created if missing"
              data={(namespaces.data ?? []).map((n) => n.ns).filter((n) => n !== '')}
              value={ns}
              onChange={setNs}
              error={nsError}
            />
          </Stack>
        </Stepper.Step>
        <Stepper.Step label="Confirm">
          <Stack maw={720}>
            <Table aria-label="Restore summary">
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th>Media set</Table.Th>
                  <Table.Td>{set?.mediaSetName ?? mediaSet}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>Snapshots</Table.Th>
                  <Table.Td style={{ wordBreak: 'break-all' }}>
                    {mode === 'all' ? `all (${snapshots.length})` : selected.join(', ')}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>Drive</Table.Th>
                  <Table.Td>{effectiveDrive}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>Target</Table.Th>
                  <Table.Td>{`datastore ${store ?? ''}, ${ns.trim() === '' ? 'root namespace' : `namespace ${ns.trim()}`}`}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
            {inputError !== null && <Text c="red">{inputError}</Text>}
            {restore.error != null && <FormError error={restore.error} />}
          </Stack>
        </Stepper.Step>
      </Stepper>
      <Group justify="flex-end">
        <Button variant="default" disabled={step === 0} onClick={() => setStep((s) => s - 1)}>
          Back
        </Button>
        {step < 3 ? (
          <Button disabled={canNext[step] !== true} onClick={() => setStep((s) => s + 1)}>
            Next
          </Button>
        ) : (
          <Button
            loading={restore.isPending}
            disabled={input === null || inputError !== null}
            onClick={() => input !== null && restore.mutate(input)}
          >
            Start restore
          </Button>
        )}
      </Group>
    </Stack>
  );
}
