import { AppError } from '@pbs/api-types/errors';
import type { BackupGroupRef, SnapshotRef } from '@pbs/datastore';
import type { Query } from '../http/h2-session.js';
import type { HttpClient } from '../http/http-client.js';

/*
 * The REST calls the client's management commands make (PBS api2/json/admin/datastore/{store}/…):
 * groups, snapshots, forget, notes, protection, status. Replies are PBS's JSON shapes (kebab-case
 * keys), passed through for --output-format json.
 */

export interface SnapshotListItem {
  readonly 'backup-type': string;
  readonly 'backup-id': string;
  readonly 'backup-time': number;
  readonly comment?: string;
  readonly files: readonly (string | { filename: string; size?: number; 'crypt-mode'?: string })[];
  readonly size?: number;
  readonly owner?: string;
  readonly protected?: boolean;
  readonly fingerprint?: string;
  readonly verification?: { state: string; upid: string };
}

export interface GroupListItem {
  readonly 'backup-type': string;
  readonly 'backup-id': string;
  readonly 'last-backup': number;
  readonly 'backup-count': number;
  readonly files: readonly string[];
  readonly owner?: string;
  readonly comment?: string;
}

function snapshotParams(ns: string | undefined, s: SnapshotRef): Query {
  return {
    ...(ns !== undefined && ns !== '' && { ns }),
    'backup-type': s.type,
    'backup-id': s.id,
    'backup-time': s.time,
  };
}

export interface PruneListItem {
  readonly 'backup-type': string;
  readonly 'backup-id': string;
  readonly 'backup-time': number;
  readonly keep: boolean;
  readonly protected?: boolean;
}

export class DatastoreApi {
  constructor(
    private readonly client: HttpClient,
    readonly store: string,
    readonly ns?: string,
  ) {}

  private path(sub: string): string {
    return `/admin/datastore/${encodeURIComponent(this.store)}/${sub}`;
  }

  private get nsParam(): Query {
    return this.ns !== undefined && this.ns !== '' ? { ns: this.ns } : {};
  }

  async groups(): Promise<GroupListItem[]> {
    return ((await this.client.get(this.path('groups'), this.nsParam)) ?? []) as GroupListItem[];
  }

  async snapshots(group?: BackupGroupRef): Promise<SnapshotListItem[]> {
    const params: Query = {
      ...this.nsParam,
      ...(group && { 'backup-type': group.type, 'backup-id': group.id }),
    };
    return ((await this.client.get(this.path('snapshots'), params)) ?? []) as SnapshotListItem[];
  }

  /** dir_or_last_from_group: the newest snapshot of a group. */
  async lastSnapshot(group: BackupGroupRef): Promise<SnapshotRef> {
    const list = await this.snapshots(group);
    const newest = list.reduce<SnapshotListItem | undefined>(
      (best, s) => (best === undefined || s['backup-time'] > best['backup-time'] ? s : best),
      undefined,
    );
    if (!newest) throw new AppError('NOT_FOUND', `backup group '${group.type}/${group.id}' has no snapshots`);
    return { ...group, time: newest['backup-time'] };
  }

  /**
   * The files of a snapshot (GET …/files); servers without that path answer from the snapshot
   * listing, which carries the same entries.
   */
  async files(snapshot: SnapshotRef): Promise<{ filename: string; size?: number; 'crypt-mode'?: string }[]> {
    try {
      return ((await this.client.get(this.path('files'), snapshotParams(this.ns, snapshot))) ?? []) as {
        filename: string;
      }[];
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'NOT_FOUND' && /api path/.test(err.message))) throw err;
    }
    const item = (await this.snapshots(snapshot)).find((s) => s['backup-time'] === snapshot.time);
    if (!item) throw new AppError('NOT_FOUND', `snapshot not found`);
    return item.files.map((f) => (typeof f === 'string' ? { filename: f } : f));
  }

  async forget(snapshot: SnapshotRef): Promise<void> {
    await this.client.delete(this.path('snapshots'), snapshotParams(this.ns, snapshot));
  }

  async notes(snapshot: SnapshotRef): Promise<string> {
    const notes = await this.client.get(this.path('notes'), snapshotParams(this.ns, snapshot));
    return typeof notes === 'string' ? notes : '';
  }

  async setNotes(snapshot: SnapshotRef, notes: string): Promise<void> {
    await this.client.put(this.path('notes'), { ...snapshotParams(this.ns, snapshot), notes });
  }

  async isProtected(snapshot: SnapshotRef): Promise<boolean> {
    return (await this.client.get(this.path('protected'), snapshotParams(this.ns, snapshot))) === true;
  }

  async setProtected(snapshot: SnapshotRef, value: boolean): Promise<void> {
    await this.client.put(this.path('protected'), { ...snapshotParams(this.ns, snapshot), protected: value });
  }

  /** POST …/prune for one group: the listing of what is (or, with dryRun, would be) kept. */
  async prune(
    group: BackupGroupRef,
    keep: Record<string, number>,
    dryRun: boolean,
  ): Promise<PruneListItem[]> {
    const params: Query = {
      ...this.nsParam,
      'backup-type': group.type,
      'backup-id': group.id,
      ...keep,
      ...(dryRun && { 'dry-run': true }),
    };
    return ((await this.client.post(this.path('prune'), params)) ?? []) as PruneListItem[];
  }

  /** POST …/gc: the UPID of the garbage collection task. */
  async startGarbageCollection(): Promise<string> {
    return (await this.client.post(this.path('gc'))) as string;
  }

  async status(): Promise<Record<string, unknown>> {
    return ((await this.client.get(this.path('status'))) ?? {}) as Record<string, unknown>;
  }
}
