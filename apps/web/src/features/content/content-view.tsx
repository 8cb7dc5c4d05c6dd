import { Button, Group, Paper, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  IconArrowsMove,
  IconCopy,
  IconDownload,
  IconFileZip,
  IconFolderOpen,
  IconInfoCircle,
  IconLock,
  IconLockOpen,
  IconNotes,
  IconRefresh,
  IconScissors,
  IconSearch,
  IconShieldCheck,
  IconTrash,
  IconUserEdit,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { GroupItem, Privilege, SnapshotItem } from '@pbs/api-types';
import { ErrorAlert } from '../../components/error-alert';
import {
  browsePath,
  datastoreAclPath,
  groupKey,
  isBrowsableArchive,
  isOwner,
  snapshotName,
  type ContentLocation,
} from '../../lib/datastore-paths';
import { decodedDownloadUrl, rawDownloadUrl } from '../../lib/downloads';
import { useTRPC } from '../../lib/trpc';
import { useSession } from '../../lib/use-session';
import { BatchConfirm, RemoveGroupConfirm } from './content-dialogs';
import { ContentGrid } from './content-grid';
import {
  groupSourceKey,
  SEARCH_SOURCE,
  searchRows,
  snapshotKey,
  treeRows,
  type ArchiveInfo,
  type ContentRow,
} from './content-rows';
import { ChangeOwnerModal } from './owner-modal';
import { MoveGroupModal } from './move-group-modal';
import { NotesModal, type NotesTarget } from './notes-modal';
import { PruneModal } from './prune-modal';
import type { MenuAction } from './row-menu';
import { SnapshotDrawer } from './snapshot-drawer';
import {
  useInvalidateContent,
  useSnapshotBatch,
  useVerifyGroup,
  type BatchKind,
} from './use-content-actions';
import { useSnapshotPages, type SnapshotSource } from './use-snapshot-pages';

type Dialog =
  | { kind: 'prune' | 'owner' | 'move' | 'remove-group'; group: GroupItem }
  | { kind: 'notes'; target: NotesTarget }
  | { kind: 'batch'; action: BatchKind; snapshots: SnapshotItem[] };

export interface ContentViewProps {
  store: string;
  loc: ContentLocation;
  navigate: (loc: Partial<ContentLocation>, replace?: boolean) => void;
}

function copy(text: string): void {
  void navigator.clipboard
    .writeText(text)
    .then(() => notifications.show({ message: `Copied ${text}`, autoClose: 2000 }))
    .catch(() => notifications.show({ color: 'red', message: 'The browser refused the clipboard' }));
}

const ref = (s: { type: SnapshotItem['type']; id: string }) => ({ type: s.type, id: s.id });

/** One namespace's groups → snapshots → archives, with every action; keyed by namespace. */
export function ContentView({ store, loc, navigate }: ContentViewProps) {
  const trpc = useTRPC();
  const session = useSession();
  const routerNavigate = useNavigate();
  const invalidate = useInvalidateContent();
  const batch = useSnapshotBatch(store, loc.ns);
  const verifyGroup = useVerifyGroup();
  const { ns, q } = loc;
  const currentGroup = loc.group === null ? null : groupKey(loc.group);
  const [expandedGroups, setExpandedGroups] = useState<Set<string>>(
    () => new Set(currentGroup === null ? [] : [currentGroup]),
  );
  const [seenGroup, setSeenGroup] = useState(currentGroup);
  if (seenGroup !== currentGroup) {
    setSeenGroup(currentGroup);
    if (currentGroup !== null) setExpandedGroups((current) => new Set([...current, currentGroup]));
  }
  const [expandedSnapshots, setExpandedSnapshots] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<Map<string, SnapshotItem>>(new Map());
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [filter, setFilter] = useState(q);
  const pushFilter = useDebouncedCallback(
    (value: string) => navigate({ ...loc, q: value.trim() }, true),
    300,
  );

  const groups = useQuery(trpc.group.list.queryOptions({ store, ns }));
  const sources: SnapshotSource[] =
    q !== ''
      ? [{ key: SEARCH_SOURCE, search: q }]
      : (groups.data ?? [])
          .filter((g) => expandedGroups.has(groupKey(g)))
          .map((g) => ({ key: groupSourceKey(g), group: ref(g) }));
  const pages = useSnapshotPages(store, ns, sources);
  const rows =
    q !== ''
      ? searchRows(pages, expandedSnapshots, q)
      : treeRows(groups.data ?? [], expandedGroups, expandedSnapshots, pages);

  const onVisibleRange = (first: number, last: number) => {
    const wanted: Array<{ sourceKey: string; index: number }> = [];
    for (let i = first; i <= last; i++) {
      const row = rows[i];
      if (row?.kind === 'snapshot' && row.snapshot === undefined)
        wanted.push({ sourceKey: row.sourceKey, index: row.index });
    }
    if (wanted.length > 0) pages.request(wanted);
  };

  const currentSnapshot =
    loc.group !== null && loc.snapshot !== null ? snapshotKey({ ...loc.group, time: loc.snapshot }) : null;
  const snapshotIndex =
    currentSnapshot === null ? -1 : rows.findIndex((r) => r.key === `s:${currentSnapshot}`);
  const groupIndex = currentGroup === null ? -1 : rows.findIndex((r) => r.key === `g:${currentGroup}`);
  const scrollTo = snapshotIndex >= 0 ? snapshotIndex : groupIndex >= 0 ? groupIndex : null;

  // what the caller may do (the server checks again)
  const path = datastoreAclPath(store, ns);
  const can = (...privs: Privilege[]) => session.can(path, ...privs);
  const owns = (owner: string | null) => isOwner(owner, session.authId);
  const mayModify = can('Datastore.Modify');
  const mayPrune = (owner: string | null) => mayModify || (can('Datastore.Prune') && owns(owner));
  const mayVerify = (owner: string | null) =>
    can('Datastore.Verify') || (can('Datastore.Backup') && owns(owner));
  const mayEdit = (owner: string | null) => mayModify || (can('Datastore.Backup') && owns(owner));
  const mayRead = (owner: string | null) => can('Datastore.Read') || (can('Datastore.Backup') && owns(owner));
  const browse = (s: SnapshotItem, path = '') =>
    void routerNavigate(browsePath(store, { ns, snapshot: { ...ref(s), time: s.time }, path }));

  const runBatch = (action: BatchKind, snapshots: SnapshotItem[]) =>
    batch.mutate({ kind: action, snapshots });

  const groupActions = (group: GroupItem): MenuAction[] => {
    const actions: MenuAction[] = [];
    if (mayVerify(group.owner)) {
      actions.push({
        label: 'Verify',
        icon: <IconShieldCheck size={16} />,
        onClick: () => verifyGroup.mutate({ store, ns, group: ref(group) }),
      });
    }
    if (mayPrune(group.owner))
      actions.push({
        label: 'Prune…',
        icon: <IconScissors size={16} />,
        onClick: () => setDialog({ kind: 'prune', group }),
      });
    if (mayModify)
      actions.push({
        label: 'Change owner…',
        icon: <IconUserEdit size={16} />,
        onClick: () => setDialog({ kind: 'owner', group }),
      });
    if (mayPrune(group.owner))
      actions.push({
        label: 'Move…',
        icon: <IconArrowsMove size={16} />,
        onClick: () => setDialog({ kind: 'move', group }),
      });
    if (mayEdit(group.owner)) {
      actions.push({
        label: 'Edit notes…',
        icon: <IconNotes size={16} />,
        onClick: () => setDialog({ kind: 'notes', target: { group: ref(group) } }),
      });
    }
    actions.push({ label: 'Copy name', icon: <IconCopy size={16} />, onClick: () => copy(groupKey(group)) });
    if (mayPrune(group.owner)) {
      actions.push({
        label: 'Remove group…',
        icon: <IconTrash size={16} />,
        color: 'red',
        divider: true,
        onClick: () => setDialog({ kind: 'remove-group', group }),
      });
    }
    return actions;
  };

  const snapshotActions = (s: SnapshotItem): MenuAction[] => {
    const actions: MenuAction[] = [
      {
        label: 'Show details',
        icon: <IconInfoCircle size={16} />,
        onClick: () => navigate({ ns, group: ref(s), snapshot: s.time, q }),
      },
    ];
    if (mayRead(s.owner) && s.files.some((f) => isBrowsableArchive(f.filename)))
      actions.push({ label: 'Browse files', icon: <IconFolderOpen size={16} />, onClick: () => browse(s) });
    if (mayVerify(s.owner))
      actions.push({
        label: 'Verify',
        icon: <IconShieldCheck size={16} />,
        onClick: () => runBatch('verify', [s]),
      });
    if (mayEdit(s.owner)) {
      actions.push(
        s.protected
          ? {
              label: 'Unprotect',
              icon: <IconLockOpen size={16} />,
              onClick: () => runBatch('unprotect', [s]),
            }
          : { label: 'Protect', icon: <IconLock size={16} />, onClick: () => runBatch('protect', [s]) },
      );
      actions.push({
        label: 'Edit notes…',
        icon: <IconNotes size={16} />,
        onClick: () => setDialog({ kind: 'notes', target: { snapshot: { ...ref(s), time: s.time } } }),
      });
    }
    actions.push({ label: 'Copy name', icon: <IconCopy size={16} />, onClick: () => copy(snapshotName(s)) });
    if (mayPrune(s.owner) && !s.protected) {
      actions.push({
        label: 'Forget…',
        icon: <IconTrash size={16} />,
        color: 'red',
        divider: true,
        onClick: () => setDialog({ kind: 'batch', action: 'forget', snapshots: [s] }),
      });
    }
    return actions;
  };

  /** an archive: browse a pxar archive, download one decoded (blob, image, pxar stream) or raw */
  const archiveActions = (s: SnapshotItem, file: ArchiveInfo): MenuAction[] => {
    if (!mayRead(s.owner)) return [];
    const snapshot = { ...ref(s), time: s.time };
    const actions: MenuAction[] = [];
    const encrypted = file.cryptMode === 'encrypt';
    if (isBrowsableArchive(file.filename) && !encrypted)
      actions.push({
        label: 'Browse files',
        icon: <IconFolderOpen size={16} />,
        onClick: () => browse(s, file.filename),
      });
    if (!encrypted && !file.filename.endsWith('.ppxar.didx'))
      actions.push({
        label: 'Download',
        icon: <IconDownload size={16} />,
        href: decodedDownloadUrl(store, ns, snapshot, file.filename),
      });
    actions.push({
      label: 'Download raw',
      icon: <IconFileZip size={16} />,
      href: rawDownloadUrl(store, ns, snapshot, file.filename),
    });
    return actions;
  };

  const rowActions = (row: ContentRow): MenuAction[] => {
    if (row.kind === 'group') return groupActions(row.group);
    if (row.kind === 'snapshot' && row.snapshot !== undefined) return snapshotActions(row.snapshot);
    if (row.kind === 'archive') return archiveActions(row.snapshot, row.file);
    return [];
  };

  const selection = [...selected.values()];
  const closeDialog = () => setDialog(null);

  return (
    <>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <TextInput
          aria-label="Filter snapshots"
          placeholder="Filter: group, date, owner or comment"
          leftSection={<IconSearch size={16} />}
          value={filter}
          onChange={(e) => {
            setFilter(e.currentTarget.value);
            pushFilter(e.currentTarget.value);
          }}
          style={{ flex: 1, minWidth: 220, maxWidth: 420 }}
        />
        <Group gap="xs">
          <Text size="sm" c="dimmed" aria-live="polite">
            {q !== ''
              ? pages.total(SEARCH_SOURCE) === undefined
                ? ''
                : `${pages.total(SEARCH_SOURCE)} snapshots match`
              : groups.data === undefined
                ? ''
                : `${groups.data.length} groups`}
          </Text>
          <Button
            variant="default"
            size="xs"
            leftSection={<IconRefresh size={14} />}
            onClick={() => void invalidate()}
          >
            Reload
          </Button>
        </Group>
      </Group>
      {selection.length > 0 && (
        <Paper withBorder p="xs" component="section" aria-label="Selected snapshots">
          <Group gap="xs">
            <Text size="sm" fw={500}>
              {selection.length} snapshot{selection.length === 1 ? '' : 's'} selected
            </Text>
            {selection.every((s) => mayEdit(s.owner)) && (
              <>
                <Button
                  size="xs"
                  variant="light"
                  onClick={() => setDialog({ kind: 'batch', action: 'protect', snapshots: selection })}
                >
                  Protect selected
                </Button>
                <Button
                  size="xs"
                  variant="light"
                  onClick={() => setDialog({ kind: 'batch', action: 'unprotect', snapshots: selection })}
                >
                  Unprotect selected
                </Button>
              </>
            )}
            {selection.every((s) => mayVerify(s.owner)) && (
              <Button
                size="xs"
                variant="light"
                onClick={() => setDialog({ kind: 'batch', action: 'verify', snapshots: selection })}
              >
                Verify selected
              </Button>
            )}
            {selection.every((s) => mayPrune(s.owner)) && (
              <Button
                size="xs"
                variant="light"
                color="red"
                onClick={() =>
                  setDialog({
                    kind: 'batch',
                    action: 'forget',
                    snapshots: selection.filter((s) => !s.protected),
                  })
                }
                disabled={selection.every((s) => s.protected)}
              >
                Forget selected
              </Button>
            )}
            <Button size="xs" variant="subtle" onClick={() => setSelected(new Map())}>
              Clear selection
            </Button>
          </Group>
        </Paper>
      )}
      {groups.isError && <ErrorAlert error={groups.error} onRetry={() => void groups.refetch()} />}
      <Paper withBorder>
        <ContentGrid
          store={store}
          ns={ns}
          q={q}
          rows={rows}
          loading={q === '' && groups.isPending}
          empty={q === '' ? 'No backups in this namespace yet.' : `No snapshot matches '${q}'.`}
          flat={q !== ''}
          currentGroup={currentGroup}
          currentSnapshot={currentSnapshot}
          selected={selected}
          onSelect={(s, on) =>
            setSelected((current) => {
              const next = new Map(current);
              if (on) next.set(snapshotKey(s), s);
              else next.delete(snapshotKey(s));
              return next;
            })
          }
          onToggleGroup={(key) =>
            setExpandedGroups((current) => {
              const next = new Set(current);
              if (next.has(key)) next.delete(key);
              else next.add(key);
              return next;
            })
          }
          onToggleSnapshot={(key) =>
            setExpandedSnapshots((current) => {
              const next = new Set(current);
              if (next.has(key)) next.delete(key);
              else next.add(key);
              return next;
            })
          }
          actions={rowActions}
          onVisibleRange={onVisibleRange}
          scrollToIndex={scrollTo}
        />
      </Paper>
      {loc.group !== null && loc.snapshot !== null && (
        <SnapshotDrawer
          store={store}
          ns={ns}
          group={loc.group}
          time={loc.snapshot}
          onClose={() => navigate({ ns, group: loc.group, q })}
          actions={snapshotActions}
          archiveActions={archiveActions}
          onEditNotes={(s) => setDialog({ kind: 'notes', target: { snapshot: { ...ref(s), time: s.time } } })}
        />
      )}
      {dialog?.kind === 'prune' && (
        <PruneModal store={store} ns={ns} group={ref(dialog.group)} onClose={closeDialog} />
      )}
      {dialog?.kind === 'owner' && (
        <ChangeOwnerModal store={store} ns={ns} group={dialog.group} onClose={closeDialog} />
      )}
      {dialog?.kind === 'move' && (
        <MoveGroupModal store={store} ns={ns} group={dialog.group} onClose={closeDialog} />
      )}
      {dialog?.kind === 'remove-group' && (
        <RemoveGroupConfirm store={store} ns={ns} group={dialog.group} onClose={closeDialog} />
      )}
      {dialog?.kind === 'notes' && (
        <NotesModal store={store} ns={ns} target={dialog.target} onClose={closeDialog} />
      )}
      {dialog?.kind === 'batch' && (
        <BatchConfirm
          kind={dialog.action}
          snapshots={dialog.snapshots}
          batch={batch}
          onClose={closeDialog}
          onDone={() => {
            const gone = dialog.action === 'forget' ? dialog.snapshots.map(snapshotKey) : [];
            setSelected(new Map());
            closeDialog();
            if (currentSnapshot !== null && gone.includes(currentSnapshot))
              navigate({ ns, group: loc.group, q });
          }}
        />
      )}
    </>
  );
}
