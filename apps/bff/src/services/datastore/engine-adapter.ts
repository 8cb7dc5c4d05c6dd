/**
 * The engine's Datastore seen through DatastorePort: engine results become API shapes (the
 * engine's extra fields such as `ns` and `finished` are dropped; prune marks are flattened).
 */
import type { GroupItem, KeepOptions, PruneMarkItem, SnapshotItem } from '@pbs/api-types';
import { planPrune, type Datastore, type GroupInfo, type SnapshotInfo } from '@pbs/datastore';
import type { DatastorePort } from './datastore-port.js';

function groupItem(g: GroupInfo): GroupItem {
  return {
    type: g.type,
    id: g.id,
    lastBackup: g.lastBackup,
    backupCount: g.backupCount,
    files: g.files,
    owner: g.owner,
    comment: g.comment,
  };
}

function snapshotItem(s: SnapshotInfo): SnapshotItem {
  return {
    type: s.type,
    id: s.id,
    time: s.time,
    comment: s.comment,
    verification: s.verification,
    fingerprint: s.fingerprint,
    files: s.files.map((f) => ({ filename: f.filename, size: f.size ?? null, cryptMode: f.cryptMode })),
    size: s.size,
    owner: s.owner,
    protected: s.protected,
    cryptMode: s.cryptMode,
  };
}

export function adaptDatastore(ds: Datastore): DatastorePort {
  return {
    name: ds.name,
    listNamespaces: (parent, maxDepth) => ds.listNamespaces(parent, maxDepth),
    createNamespace: (parent, name) => ds.createNamespace(parent, name),
    removeNamespace: (ns, opts) => ds.removeNamespace(ns, opts),
    listGroups: async (ns) => (await ds.listGroups(ns)).map(groupItem),
    listSnapshots: async (ns, group) => (await ds.listSnapshots(ns, group)).map(snapshotItem),
    listSnapshotPage: async (ns, opts) => {
      const page = await ds.listSnapshotPage(ns, opts);
      return { total: page.total, items: page.items.map(snapshotItem) };
    },
    getOwner: (ns, group) => ds.getOwner(ns, group),
    setOwner: (ns, group, authId) => ds.setOwner(ns, group, authId),
    getGroupNotes: (ns, group) => ds.getGroupNotes(ns, group),
    setGroupNotes: (ns, group, notes) => ds.setGroupNotes(ns, group, notes),
    removeGroup: (ns, group) => ds.removeGroup(ns, group),
    getSnapshotNotes: (ns, snap) => ds.getSnapshotNotes(ns, snap),
    setSnapshotNotes: (ns, snap, notes) => ds.setSnapshotNotes(ns, snap, notes),
    setProtected: (ns, snap, value) => ds.setProtected(ns, snap, value),
    removeSnapshot: (ns, snap) => ds.removeSnapshot(ns, snap),
    planPrune: async (ns, group, keep: KeepOptions): Promise<PruneMarkItem[]> =>
      (await planPrune(ds, ns, group, keep)).map((m) => ({
        type: m.snapshot.type,
        id: m.snapshot.id,
        time: m.snapshot.time,
        keep: m.keep,
        mark: m.mark,
        reason: m.reason,
      })),
    status: () => ds.status(),
    counts: async () => {
      const counts = await ds.counts();
      return { ct: counts.ct, host: counts.host, vm: counts.vm };
    },
    gcStatus: () => ds.gcStatus(),
  };
}
