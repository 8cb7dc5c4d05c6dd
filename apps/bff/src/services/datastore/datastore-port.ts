/**
 * What the API needs from one datastore, in API shapes. The engine's Datastore is adapted to it
 * in engine-adapter.ts, so routers never depend on engine internals.
 */
import type {
  GcStatus,
  GroupItem,
  GroupRef,
  KeepOptions,
  PruneMarkItem,
  SnapshotItem,
  SnapshotRef,
} from '@pbs/api-types';

export interface TypeCounts {
  groups: number;
  snapshots: number;
}

export interface DatastorePort {
  readonly name: string;
  listNamespaces(parent: string, maxDepth?: number): Promise<Array<{ ns: string; comment?: string }>>;
  createNamespace(parent: string, name: string): Promise<string>;
  removeNamespace(
    ns: string,
    opts: { deleteGroups: boolean },
  ): Promise<{ removedAll: boolean; removedGroups: number; removedSnapshots: number; protectedKept: number }>;

  listGroups(ns: string): Promise<GroupItem[]>;
  listSnapshots(ns: string, group?: GroupRef): Promise<SnapshotItem[]>;
  /** newest first; only the page's snapshots are read */
  listSnapshotPage(
    ns: string,
    opts: {
      group?: GroupRef;
      time?: number;
      visible?: (owner: string | null) => boolean;
      start: number;
      limit: number;
    },
  ): Promise<{ total: number; items: SnapshotItem[] }>;
  getOwner(ns: string, group: GroupRef): Promise<string>;
  setOwner(ns: string, group: GroupRef, authId: string): Promise<void>;
  getGroupNotes(ns: string, group: GroupRef): Promise<string>;
  setGroupNotes(ns: string, group: GroupRef, notes: string): Promise<void>;
  removeGroup(ns: string, group: GroupRef): Promise<{ removedSnapshots: number; protectedKept: number }>;

  getSnapshotNotes(ns: string, snap: SnapshotRef): Promise<string>;
  setSnapshotNotes(ns: string, snap: SnapshotRef, notes: string): Promise<void>;
  setProtected(ns: string, snap: SnapshotRef, value: boolean): Promise<void>;
  removeSnapshot(ns: string, snap: SnapshotRef): Promise<void>;

  /** the dry run: keep/remove with the reason for every snapshot of the group */
  planPrune(ns: string, group: GroupRef, keep: KeepOptions): Promise<PruneMarkItem[]>;

  status(): Promise<{ total: number; used: number; avail: number }>;
  counts(): Promise<{ ct: TypeCounts; host: TypeCounts; vm: TypeCounts }>;
  gcStatus(): Promise<GcStatus | null>;
}
