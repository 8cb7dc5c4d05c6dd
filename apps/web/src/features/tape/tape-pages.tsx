/**
 * Route modules of the Tape Backup tabs: each wires one view to the tRPC tape routers
 * (tapeDrive, tapeChanger, tapePool, tapeMedia, tapeJob). Operations on drives and changers
 * start worker tasks; their notice links to the task page.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { useTRPC, useTRPCClient } from '../../lib/trpc';
import { useDatastoreList } from '../../lib/use-datastores';
import { BackupModal } from './backup-modal';
import { ChangersView } from './changers-view';
import { ContentView } from './content-view';
import { DrivesView } from './drives-view';
import { InventoryView } from './inventory-view';
import { JobsView } from './jobs-view';
import { KeysView } from './keys-view';
import { PoolsView } from './pools-view';
import {
  loaded,
  names,
  useInvalidateTape,
  useMediaPools,
  useTapeChangers,
  useTapeDrives,
  useTapePermissions,
  useTaskStarted,
} from './use-tape';

const FORM = { meta: { handlesErrors: true } } as const;

export function TapeContentPage() {
  const trpc = useTRPC();
  const perms = useTapePermissions();
  const started = useTaskStarted();
  const mediaSets = useQuery(trpc.tapeMedia.mediaSets.queryOptions());
  const content = useQuery(trpc.tapeMedia.content.queryOptions({}));
  const datastores = useDatastoreList();
  const drives = useTapeDrives();
  const pools = useMediaPools();
  const backup = useMutation(
    trpc.tape.backup.mutationOptions({ ...FORM, onSuccess: started('Tape backup started') }),
  );
  return (
    <ContentView
      mediaSets={loaded(mediaSets)}
      content={loaded(content)}
      mayRestore={perms.mayRestore}
      newBackup={
        perms.mayWriteMedia
          ? (onClose) => (
              <BackupModal
                stores={(datastores.data ?? []).map((d) => d.store)}
                pools={names(pools)}
                drives={names(drives)}
                backup={backup}
                onClose={() => {
                  backup.reset();
                  onClose();
                }}
              />
            )
          : undefined
      }
    />
  );
}

export function TapeInventoryPage() {
  const trpc = useTRPC();
  const perms = useTapePermissions();
  const invalidate = useInvalidateTape();
  const started = useTaskStarted();
  const media = useQuery(trpc.tapeMedia.list.queryOptions({ updateStatus: true }));
  const drives = useTapeDrives();
  const pools = useMediaPools();
  const label = useMutation(
    trpc.tapeDrive.label.mutationOptions({ ...FORM, onSuccess: started('Labeling media') }),
  );
  const updateInventory = useMutation(
    trpc.tapeDrive.updateInventory.mutationOptions({ ...FORM, onSuccess: started('Updating the inventory') }),
  );
  const format = useMutation(
    trpc.tapeDrive.format.mutationOptions({ ...FORM, onSuccess: started('Formatting media') }),
  );
  const move = useMutation(trpc.tapeMedia.move.mutationOptions({ ...FORM, onSuccess: invalidate }));
  const destroy = useMutation(trpc.tapeMedia.destroy.mutationOptions({ ...FORM, onSuccess: invalidate }));
  const setStatus = useMutation(trpc.tapeMedia.setStatus.mutationOptions({ ...FORM, onSuccess: invalidate }));
  return (
    <InventoryView
      media={loaded(media)}
      drives={names(drives)}
      pools={names(pools)}
      mayModify={perms.mayModifyMedia}
      mayWrite={perms.mayWriteMedia}
      label={label}
      updateInventory={updateInventory}
      move={move}
      destroy={destroy}
      setStatus={setStatus}
      format={format}
    />
  );
}

export function TapeDrivesPage() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const perms = useTapePermissions();
  const invalidate = useInvalidateTape();
  const started = useTaskStarted();
  const drives = useTapeDrives();
  const changers = useTapeChangers();
  const pools = useMediaPools();
  const create = useMutation(trpc.tapeDrive.create.mutationOptions({ ...FORM, onSuccess: invalidate }));
  const update = useMutation(trpc.tapeDrive.update.mutationOptions({ ...FORM, onSuccess: invalidate }));
  const remove = useMutation(trpc.tapeDrive.remove.mutationOptions({ ...FORM, onSuccess: invalidate }));
  const label = useMutation(
    trpc.tapeDrive.label.mutationOptions({ ...FORM, onSuccess: started('Labeling media') }),
  );
  const updateInventory = useMutation(
    trpc.tapeDrive.updateInventory.mutationOptions({ ...FORM, onSuccess: started('Updating the inventory') }),
  );
  const eject = useMutation(
    trpc.tapeDrive.eject.mutationOptions({ ...FORM, onSuccess: started('Ejecting media') }),
  );
  const catalog = useMutation(
    trpc.tapeDrive.catalog.mutationOptions({ ...FORM, onSuccess: started('Cataloging media') }),
  );
  const readLabel = useCallback((drive: string) => client.tapeDrive.readLabel.mutate({ drive }), [client]);
  return (
    <DrivesView
      drives={loaded(drives)}
      changers={names(changers)}
      pools={names(pools)}
      mayModify={perms.mayModifyDevices}
      mayWrite={perms.mayUseDrives}
      create={create}
      update={update}
      remove={remove}
      label={label}
      updateInventory={updateInventory}
      eject={eject}
      catalog={catalog}
      readLabel={readLabel}
    />
  );
}

export function TapeChangersPage() {
  const trpc = useTRPC();
  const perms = useTapePermissions();
  const invalidate = useInvalidateTape();
  const started = useTaskStarted();
  const [params, setParams] = useSearchParams();
  const changers = useTapeChangers();
  const selected = params.get('changer') ?? changers.data?.items[0]?.name ?? null;
  const status = useQuery({
    ...trpc.tapeChanger.status.queryOptions({ name: selected ?? '' }),
    enabled: selected !== null,
    refetchInterval: 10_000,
  });
  const create = useMutation(trpc.tapeChanger.create.mutationOptions({ ...FORM, onSuccess: invalidate }));
  const update = useMutation(trpc.tapeChanger.update.mutationOptions({ ...FORM, onSuccess: invalidate }));
  const remove = useMutation(trpc.tapeChanger.remove.mutationOptions({ ...FORM, onSuccess: invalidate }));
  const transfer = useMutation(trpc.tapeChanger.transfer.mutationOptions({ ...FORM, onSuccess: invalidate }));
  const loadSlot = useMutation(
    trpc.tapeDrive.loadSlot.mutationOptions({ ...FORM, onSuccess: started('Loading media') }),
  );
  const pools = useMediaPools();
  const barcodeLabel = useMutation(
    trpc.tapeDrive.barcodeLabel.mutationOptions({ ...FORM, onSuccess: started('Labeling media by barcode') }),
  );
  const unload = useMutation(
    trpc.tapeDrive.unload.mutationOptions({ ...FORM, onSuccess: started('Unloading media') }),
  );
  return (
    <ChangersView
      changers={loaded(changers)}
      selected={selected}
      onSelect={(name) => setParams({ changer: name })}
      status={loaded(status)}
      mayModify={perms.mayModifyDevices}
      mayOperate={perms.mayUseDrives}
      create={create}
      update={update}
      remove={remove}
      loadSlot={loadSlot}
      unload={unload}
      transfer={transfer}
      pools={names(pools)}
      barcodeLabel={barcodeLabel}
    />
  );
}

export function TapePoolsPage() {
  const trpc = useTRPC();
  const perms = useTapePermissions();
  const invalidate = useInvalidateTape();
  const pools = useMediaPools();
  const keys = useQuery(trpc.tapeKey.list.queryOptions());
  const create = useMutation(trpc.tapePool.create.mutationOptions({ ...FORM, onSuccess: invalidate }));
  const update = useMutation(trpc.tapePool.update.mutationOptions({ ...FORM, onSuccess: invalidate }));
  const remove = useMutation(trpc.tapePool.remove.mutationOptions({ ...FORM, onSuccess: invalidate }));
  return (
    <PoolsView
      pools={loaded(pools)}
      keys={keys.data ?? []}
      mayModify={perms.mayModifyPools}
      create={create}
      update={update}
      remove={remove}
    />
  );
}

export function TapeJobsPage() {
  const trpc = useTRPC();
  const perms = useTapePermissions();
  const invalidate = useInvalidateTape();
  const started = useTaskStarted();
  const jobs = useQuery(trpc.tapeJob.list.queryOptions(undefined, { refetchInterval: 30_000 }));
  const datastores = useDatastoreList();
  const drives = useTapeDrives();
  const pools = useMediaPools();
  const create = useMutation(trpc.tapeJob.create.mutationOptions({ ...FORM, onSuccess: invalidate }));
  const update = useMutation(trpc.tapeJob.update.mutationOptions({ ...FORM, onSuccess: invalidate }));
  const remove = useMutation(trpc.tapeJob.remove.mutationOptions({ ...FORM, onSuccess: invalidate }));
  const run = useMutation(
    trpc.tapeJob.run.mutationOptions({
      onSuccess: (result, { id }) => started(`Tape backup job ${id} started`)(result),
    }),
  );
  return (
    <JobsView
      jobs={loaded(jobs)}
      stores={(datastores.data ?? []).map((d) => d.store)}
      pools={names(pools)}
      drives={names(drives)}
      mayModify={perms.mayModifyJobs}
      create={create}
      update={update}
      remove={remove}
      run={(job) => run.mutate({ id: job.id })}
    />
  );
}

export function TapeKeysPage() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const perms = useTapePermissions();
  const invalidate = useInvalidateTape();
  const keys = useQuery(trpc.tapeKey.list.queryOptions());
  const create = useMutation(trpc.tapeKey.create.mutationOptions({ ...FORM, onSuccess: invalidate }));
  const restore = useMutation(trpc.tapeKey.restore.mutationOptions({ ...FORM, onSuccess: invalidate }));
  const remove = useMutation(trpc.tapeKey.remove.mutationOptions({ ...FORM, onSuccess: invalidate }));
  const keyConfig = useCallback(
    async (fingerprint: string) => (await client.tapeKey.keyConfig.query({ fingerprint })).keyConfig,
    [client],
  );
  return (
    <KeysView
      keys={loaded(keys)}
      mayModify={perms.mayModifyPools}
      create={create}
      restore={restore}
      remove={remove}
      keyConfig={keyConfig}
    />
  );
}
