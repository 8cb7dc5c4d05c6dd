/** /api2/json/admin/datastore/{store}/…: namespaces, groups, snapshots, notes, protection. */
import { AppError, type GroupItem, type GroupRef, type SnapshotItem, type SnapshotRef } from '@pbs/api-types';
import { groupFrom, snapshotFrom } from '../coerce.js';
import { bool, num, str } from '../params.js';
import { accessOf, result, type RestContext, type RestRoute } from '../route.js';

const base = '/admin/datastore/:store';

function where({ params, args }: RestContext) {
  return { store: params.store ?? '', ns: str(args, 'ns') ?? '' };
}

/** Missing parameters become empty values: the procedure's schema then names what is wrong. */
function group(rest: RestContext): GroupRef {
  return (groupFrom(rest.args) ?? { type: '', id: '' }) as GroupRef;
}

function snapshot(rest: RestContext): SnapshotRef {
  return (snapshotFrom(rest.args) ?? { type: '', id: '', time: 0 }) as SnapshotRef;
}

export function pbsGroup(g: GroupItem) {
  return {
    'backup-type': g.type,
    'backup-id': g.id,
    'last-backup': g.lastBackup,
    'backup-count': g.backupCount,
    files: g.files,
    owner: g.owner ?? undefined,
    comment: g.comment,
  };
}

export function pbsSnapshot(s: SnapshotItem) {
  return {
    'backup-type': s.type,
    'backup-id': s.id,
    'backup-time': s.time,
    comment: s.comment,
    verification: s.verification,
    fingerprint: s.fingerprint,
    files: s.files.map((f) => ({
      filename: f.filename,
      size: f.size ?? undefined,
      'crypt-mode': f.cryptMode,
    })),
    size: s.size ?? undefined,
    owner: s.owner ?? undefined,
    protected: s.protected,
  };
}

/** PBS BackupGroupDeleteStats */
function deleteStats(stats: { removedGroups: number; removedSnapshots: number; protectedKept: number }) {
  return {
    'protected-snapshots': stats.protectedKept,
    'removed-groups': stats.removedGroups,
    'removed-snapshots': stats.removedSnapshots,
  };
}

const namespaces: RestRoute[] = [
  {
    method: 'GET',
    path: `${base}/namespace`,
    access: accessOf('namespace.list'),
    async handler(rest) {
      const { store } = where(rest);
      const items = await rest.call.namespace.list({
        store,
        parent: str(rest.args, 'parent') ?? '',
        maxDepth: num(rest.args, 'max-depth'),
      });
      return result(items);
    },
  },
  {
    method: 'POST',
    path: `${base}/namespace`,
    access: accessOf('namespace.create'),
    async handler(rest) {
      const { store } = where(rest);
      const { ns } = await rest.call.namespace.create({
        store,
        parent: str(rest.args, 'parent') ?? '',
        name: str(rest.args, 'name') ?? '',
      });
      return result(ns);
    },
  },
  {
    method: 'DELETE',
    path: `${base}/namespace`,
    access: accessOf('namespace.remove'),
    async handler(rest) {
      const deleteGroups = bool(rest.args, 'delete-groups') ?? false;
      const removed = await rest.call.namespace.remove({ ...where(rest), deleteGroups });
      // PBS fails a partial removal unless error-on-protected=false (what was removed stays removed).
      if (!removed.removedAll && (bool(rest.args, 'error-on-protected') ?? true)) {
        throw new AppError(
          'INVALID_ARGUMENT',
          deleteGroups
            ? 'group only partially deleted due to protected snapshots'
            : 'only partially deleted due to existing groups but `delete-groups` not true',
        );
      }
      return result(deleteStats(removed));
    },
  },
  {
    method: 'POST',
    path: `${base}/move-namespace`,
    access: accessOf('namespace.move'),
    async handler(rest) {
      const { taskId } = await rest.call.namespace.move({
        ...where(rest),
        targetNs: str(rest.args, 'target-ns') ?? '',
        maxDepth: num(rest.args, 'max-depth'),
        deleteSource: bool(rest.args, 'delete-source'),
        mergeGroups: bool(rest.args, 'merge-groups'),
      });
      return result(taskId);
    },
  },
];

const groups: RestRoute[] = [
  {
    method: 'GET',
    path: `${base}/groups`,
    access: accessOf('group.list'),
    async handler(rest) {
      return result((await rest.call.group.list(where(rest))).map(pbsGroup));
    },
  },
  {
    method: 'DELETE',
    path: `${base}/groups`,
    access: accessOf('group.remove'),
    async handler(rest) {
      const removed = await rest.call.group.remove({ ...where(rest), group: group(rest) });
      if (removed.protectedKept > 0 && (bool(rest.args, 'error-on-protected') ?? true)) {
        throw new AppError('INVALID_ARGUMENT', 'group only partially deleted due to protected snapshots');
      }
      return result(deleteStats({ ...removed, removedGroups: removed.protectedKept === 0 ? 1 : 0 }));
    },
  },
  {
    method: 'POST',
    path: `${base}/change-owner`,
    access: accessOf('group.changeOwner'),
    async handler(rest) {
      await rest.call.group.changeOwner({
        ...where(rest),
        group: group(rest),
        newOwner: str(rest.args, 'new-owner') ?? '',
      });
      return result(null);
    },
  },
  {
    method: 'POST',
    path: `${base}/move-group`,
    access: accessOf('group.move'),
    async handler(rest) {
      const { taskId } = await rest.call.group.move({
        ...where(rest),
        group: group(rest),
        targetNs: str(rest.args, 'target-ns') ?? '',
        mergeGroup: bool(rest.args, 'merge-group'),
      });
      return result(taskId);
    },
  },
  {
    method: 'GET',
    path: `${base}/group-notes`,
    access: accessOf('group.notes'),
    async handler(rest) {
      return result((await rest.call.group.notes({ ...where(rest), group: group(rest) })).notes);
    },
  },
  {
    method: 'PUT',
    path: `${base}/group-notes`,
    access: accessOf('group.setNotes'),
    async handler(rest) {
      await rest.call.group.setNotes({
        ...where(rest),
        group: group(rest),
        notes: str(rest.args, 'notes') ?? '',
      });
      return result(null);
    },
  },
];

const snapshots: RestRoute[] = [
  {
    method: 'GET',
    path: `${base}/snapshots`,
    access: accessOf('snapshot.list'),
    async handler(rest) {
      const page = await rest.call.snapshot.list({
        ...where(rest),
        group: groupFrom(rest.args) as GroupRef | undefined,
        start: 0,
        limit: 10_000,
      });
      return result(page.items.map(pbsSnapshot));
    },
  },
  {
    method: 'DELETE',
    path: `${base}/snapshots`,
    access: accessOf('snapshot.remove'),
    async handler(rest) {
      await rest.call.snapshot.remove({ ...where(rest), snapshot: snapshot(rest) });
      return result(null);
    },
  },
  {
    method: 'GET',
    path: `${base}/notes`,
    access: accessOf('snapshot.notes'),
    async handler(rest) {
      return result((await rest.call.snapshot.notes({ ...where(rest), snapshot: snapshot(rest) })).notes);
    },
  },
  {
    method: 'PUT',
    path: `${base}/notes`,
    access: accessOf('snapshot.setNotes'),
    async handler(rest) {
      await rest.call.snapshot.setNotes({
        ...where(rest),
        snapshot: snapshot(rest),
        notes: str(rest.args, 'notes') ?? '',
      });
      return result(null);
    },
  },
  {
    method: 'GET',
    path: `${base}/protected`,
    access: accessOf('snapshot.list'),
    async handler(rest) {
      const snap = snapshot(rest);
      const page = await rest.call.snapshot.list({
        ...where(rest),
        group: { type: snap.type, id: snap.id },
        start: 0,
        limit: 10_000,
      });
      return result(page.items.find((s) => s.time === snap.time)?.protected ?? false);
    },
  },
  {
    method: 'PUT',
    path: `${base}/protected`,
    access: accessOf('snapshot.setProtected'),
    async handler(rest) {
      await rest.call.snapshot.setProtected({
        ...where(rest),
        snapshot: snapshot(rest),
        protected: bool(rest.args, 'protected') ?? false,
      });
      return result(null);
    },
  },
];

export const datastoreContentRoutes: RestRoute[] = [...namespaces, ...groups, ...snapshots];
