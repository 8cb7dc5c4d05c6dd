import { AppError } from '@pbs/api-types/errors';
import { SAFE_ID_REGEX } from '@pbs/api-types/domain';
import type { StorageBackend } from '@pbs/storage';
import { beginBackup, type BeginBackupOptions } from './backup/begin-backup.js';
import type { BackupWriter } from './backup/backup-writer.js';
import { importSnapshot, type ImportSnapshotOptions } from './backup/import-snapshot.js';
import type { ChunkStore } from './chunk-store.js';
import type { DataBlob } from './data-blob.js';
import { DEFAULT_TUNING, type DatastoreCore, type DatastoreTuning } from './datastore-core.js';
import {
  countBackups,
  diskUsage,
  listGroups,
  listSnapshotPage,
  listSnapshots,
  type SnapshotPageOptions,
  snapshotInfo,
  type BackupCounts,
} from './datastore-listing.js';
import { readGcStatus, type GcStatus } from './gc/gc-status.js';
import type { GroupInfo } from './group-info.js';
import { getGroupNotes, getOwner, setGroupNotes, setOwner } from './group-meta.js';
import { checkMoveGroup, lockAndMoveGroup, type MoveLog } from './group-move.js';
import { checkGroup, checkSnapshot, type BackupGroupRef, type SnapshotRef } from './hierarchy/backup-ref.js';
import { parseNamespace, type NamespacePath } from './hierarchy/namespace.js';
import type { IndexFile } from './index-file.js';
import { BackupLocks } from './locking/backup-locks.js';
import { processLockerFor, type ProcessLocker } from './locking/process-locker.js';
import type { BackupManifest } from './manifest.js';
import { moveNamespace, precheckMoveNamespace, type MoveNamespaceOptions } from './namespace-move.js';
import {
  createNamespace,
  listNamespaces,
  removeNamespace,
  type NamespaceListItem,
  type RemoveNamespaceResult,
} from './namespace-ops.js';
import type { OperationContext } from './operation-context.js';
import { openDatastoreStore, createDatastoreStore } from './datastore-open.js';
import type { SnapshotInfo } from './snapshot-info.js';
import { getSnapshotNotes, setProtected, setSnapshotNotes } from './snapshot-meta.js';
import { loadManifest, openSnapshotIndex, readSnapshotBlob, updateManifest } from './snapshot-files.js';
import { destroySnapshot, removeGroup, type RemoveGroupResult } from './snapshot-remove.js';
import { openSnapshotReader, type SnapshotReader } from './snapshot-reader.js';
import { ManifestCache } from './manifest-cache.js';
import { uploadClientLog } from './client-log.js';

export interface DatastoreOptions {
  /** datastore name, used in messages */
  name: string;
  /** content and chunks */
  backend: StorageBackend;
  /** `<data>/run/locks/<store>`: flock files of groups, snapshots and manifests */
  lockDir: string;
  /** milliseconds since the epoch; must be the clock the backend stamps atimes with */
  clock?: { now(): number };
  tuning?: Partial<DatastoreTuning>;
}

/** One open datastore: the facade over hierarchy, locking, backup writing and metadata. */
export class Datastore implements DatastoreCore {
  readonly name: string;
  readonly backend: StorageBackend;
  readonly chunkStore: ChunkStore;
  readonly locks: BackupLocks;
  readonly processLocker: ProcessLocker;
  readonly tuning: DatastoreTuning;
  readonly clock: { now(): number };
  readonly manifestCache = new ManifestCache();

  private constructor(opts: DatastoreOptions, chunkStore: ChunkStore) {
    this.name = opts.name;
    this.backend = opts.backend;
    this.chunkStore = chunkStore;
    this.locks = new BackupLocks(opts.lockDir);
    this.processLocker = processLockerFor(opts.backend.localBase, opts.lockDir);
    this.tuning = { ...DEFAULT_TUNING, ...definedOnly(opts.tuning ?? {}) };
    this.clock = opts.clock ?? { now: () => Date.now() };
  }

  /** Creates the chunk store layout (progress: prefix directories done of 65536). */
  static async create(opts: DatastoreOptions & { ctx?: OperationContext }): Promise<Datastore> {
    checkName(opts.name);
    return new Datastore(opts, await createDatastoreStore(opts.backend, opts.name, opts.ctx));
  }

  /** NOT_FOUND without a datastore at the backend, CORRUPT_DATA for a broken layout. */
  static async open(opts: DatastoreOptions): Promise<Datastore> {
    checkName(opts.name);
    return new Datastore(opts, await openDatastoreStore(opts.backend, opts.name));
  }

  nowSec(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  async listNamespaces(parent: NamespacePath, maxDepth?: number): Promise<NamespaceListItem[]> {
    return listNamespaces(this, parent, maxDepth);
  }

  async createNamespace(parent: NamespacePath, name: string): Promise<NamespacePath> {
    return createNamespace(this, parent, name);
  }

  async removeNamespace(ns: NamespacePath, opts: { deleteGroups: boolean }): Promise<RemoveNamespaceResult> {
    return removeNamespace(this, ns, opts);
  }

  async moveNamespace(ns: NamespacePath, target: NamespacePath, opts?: MoveNamespaceOptions): Promise<void> {
    return moveNamespace(this, ns, target, opts);
  }

  /** The checks moveNamespace repeats under its locks, for an early error before a task starts. */
  async checkMoveNamespace(ns: NamespacePath, target: NamespacePath, maxDepth?: number): Promise<void> {
    return precheckMoveNamespace(this, ns, target, maxDepth);
  }

  async listGroups(ns: NamespacePath): Promise<GroupInfo[]> {
    return listGroups(this, ns);
  }

  async listSnapshots(ns: NamespacePath, group?: BackupGroupRef): Promise<SnapshotInfo[]> {
    return listSnapshots(this, ns, group);
  }

  /** One page, newest first, opening only the page's snapshots. */
  async listSnapshotPage(
    ns: NamespacePath,
    opts: SnapshotPageOptions,
  ): Promise<{ total: number; items: SnapshotInfo[] }> {
    return listSnapshotPage(this, ns, opts);
  }

  async snapshotInfo(ns: NamespacePath, snap: SnapshotRef): Promise<SnapshotInfo> {
    return snapshotInfo(this, parseNamespace(ns), checkSnapshot(snap));
  }

  async getOwner(ns: NamespacePath, group: BackupGroupRef): Promise<string> {
    return getOwner(this, parseNamespace(ns), checkGroup(group));
  }

  async setOwner(ns: NamespacePath, group: BackupGroupRef, authId: string): Promise<void> {
    return setOwner(this, parseNamespace(ns), checkGroup(group), authId);
  }

  async getGroupNotes(ns: NamespacePath, group: BackupGroupRef): Promise<string> {
    return getGroupNotes(this, parseNamespace(ns), checkGroup(group));
  }

  async setGroupNotes(ns: NamespacePath, group: BackupGroupRef, notes: string): Promise<void> {
    return setGroupNotes(this, parseNamespace(ns), checkGroup(group), notes);
  }

  async getSnapshotNotes(ns: NamespacePath, snap: SnapshotRef): Promise<string> {
    return getSnapshotNotes(this, parseNamespace(ns), checkSnapshot(snap));
  }

  async setSnapshotNotes(ns: NamespacePath, snap: SnapshotRef, notes: string): Promise<void> {
    return setSnapshotNotes(this, parseNamespace(ns), checkSnapshot(snap), notes);
  }

  async setProtected(ns: NamespacePath, snap: SnapshotRef, value: boolean): Promise<void> {
    return setProtected(this, parseNamespace(ns), checkSnapshot(snap), value);
  }

  /** INVALID_ARGUMENT for a protected snapshot unless `force`; BUSY while it is in use. */
  async removeSnapshot(ns: NamespacePath, snap: SnapshotRef, opts: { force?: boolean } = {}): Promise<void> {
    return destroySnapshot(this, parseNamespace(ns), checkSnapshot(snap), { force: opts.force });
  }

  async removeGroup(ns: NamespacePath, group: BackupGroupRef): Promise<RemoveGroupResult> {
    return removeGroup(this, parseNamespace(ns), checkGroup(group));
  }

  /** Merges into an existing target group unless `merge` is false (PBS's merge-group). */
  async moveGroup(
    ns: NamespacePath,
    group: BackupGroupRef,
    targetNs: NamespacePath,
    opts: { merge?: boolean; log?: MoveLog } = {},
  ): Promise<void> {
    const from = parseNamespace(ns);
    const move = { sourceRoot: from, groupNs: from, targetRoot: parseNamespace(targetNs) };
    return lockAndMoveGroup(this, move, checkGroup(group), { merge: opts.merge ?? true, log: opts.log });
  }

  /** The checks moveGroup repeats under its locks, for an early error before a task starts. */
  async checkMoveGroup(
    ns: NamespacePath,
    group: BackupGroupRef,
    targetNs: NamespacePath,
    opts: { merge?: boolean } = {},
  ): Promise<void> {
    const [from, to] = [parseNamespace(ns), parseNamespace(targetNs)];
    return checkMoveGroup(this, from, to, checkGroup(group), opts.merge ?? true);
  }

  async loadManifest(
    ns: NamespacePath,
    snap: SnapshotRef,
  ): Promise<{ manifest: BackupManifest; raw: Buffer }> {
    return loadManifest(this, parseNamespace(ns), checkSnapshot(snap));
  }

  async updateManifest(
    ns: NamespacePath,
    snap: SnapshotRef,
    update: (unprotected: Record<string, unknown>) => void,
  ): Promise<void> {
    await updateManifest(this, parseNamespace(ns), checkSnapshot(snap), update);
  }

  async openIndex(ns: NamespacePath, snap: SnapshotRef, archiveName: string): Promise<IndexFile> {
    return openSnapshotIndex(this, parseNamespace(ns), checkSnapshot(snap), archiveName);
  }

  async readBlob(ns: NamespacePath, snap: SnapshotRef, archiveName: string): Promise<DataBlob> {
    return readSnapshotBlob(this, parseNamespace(ns), checkSnapshot(snap), archiveName);
  }

  /** A reader session (restore, download) holding the snapshot's shared lock until close(). */
  async openReader(ns: NamespacePath, snap: SnapshotRef): Promise<SnapshotReader> {
    const components = parseNamespace(ns);
    const checked = checkSnapshot(snap);
    const lock = await this.locks.lockSnapshot(components, checked, { shared: true });
    return openSnapshotReader(this, components, checked, lock);
  }

  /** PBS upload-backup-log: the client log of a finished snapshot, once. */
  async uploadClientLog(ns: NamespacePath, snap: SnapshotRef, raw: Buffer): Promise<void> {
    return uploadClientLog(this, parseNamespace(ns), checkSnapshot(snap), raw);
  }

  async beginBackup(opts: BeginBackupOptions, ctx?: Pick<OperationContext, 'warn'>): Promise<BackupWriter> {
    return beginBackup(this, opts, ctx);
  }

  /** A whole snapshot from raw files, manifest last (tape restore); its chunks must be in the store. */
  async importSnapshot(opts: ImportSnapshotOptions): Promise<void> {
    return importSnapshot(this, opts);
  }

  async status(): Promise<{ total: number; used: number; avail: number }> {
    return diskUsage(this);
  }

  async counts(): Promise<BackupCounts> {
    return countBackups(this);
  }

  async gcStatus(): Promise<GcStatus | null> {
    return readGcStatus(this.backend);
  }

  /** running backup writers of this datastore in this process */
  activeWriters(): number {
    return this.processLocker.sharedCount;
  }
}

function definedOnly<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function checkName(name: string): void {
  if (typeof name !== 'string' || !SAFE_ID_REGEX.test(name)) {
    throw new AppError('INVALID_ARGUMENT', `invalid datastore name ${JSON.stringify(name)}`);
  }
}
