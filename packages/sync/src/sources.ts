import { AppError } from '@pbs/api-types/errors';
import { BackupReader, type HttpClient } from '@pbs/client';
import type { BackupGroupRef, Datastore, Digest, SnapshotRef } from '@pbs/datastore';
import type { ByteLimiter } from './rate-limit.js';
import type { SourceSnapshotInfo } from './snapshot-selection.js';

/*
 * Where a pull reads from: a remote server over the PBS REST API and the reader protocol
 * (pbs §13.3), or another datastore of this server (local sync). Both give raw stored bytes —
 * manifest, index and blob files, encoded chunks — so a pull copies them unchanged.
 */

export interface SourceGroup extends BackupGroupRef {
  readonly owner?: string | undefined;
}

export interface SourceSnapshot extends SourceSnapshotInfo {
  readonly protected?: boolean | undefined;
}

export interface SnapshotSource {
  /** raw bytes of a file of the snapshot (index.json.blob, an index, a blob) */
  readFile(name: string): Promise<Buffer>;
  /** the stored (encoded) chunk; only after its index was read */
  readChunk(digest: Digest): Promise<Buffer>;
  close(): Promise<void>;
}

export interface SyncSource {
  /** for logs: 'remote r1, datastore s' / 'datastore s' */
  readonly description: string;
  /** `base` and the namespaces below it, to `maxDepth` levels */
  listNamespaces(base: string, maxDepth: number | undefined): Promise<string[]>;
  listGroups(ns: string): Promise<SourceGroup[]>;
  listSnapshots(ns: string, group: BackupGroupRef): Promise<SourceSnapshot[]>;
  openSnapshot(ns: string, snap: SnapshotRef): Promise<SnapshotSource>;
}

interface PbsFile {
  filename: string;
  'crypt-mode'?: string;
  size?: number;
}

interface PbsSnapshotItem {
  'backup-time': number;
  size?: number | null;
  files?: (string | PbsFile)[];
  verification?: { state: string };
  protected?: boolean;
}

interface PbsGroupItem {
  'backup-type': string;
  'backup-id': string;
  owner?: string;
}

/** Pull source on a remote: every transfer goes through `limiter` (rate-in). */
export class RemoteSource implements SyncSource {
  readonly description: string;

  constructor(
    private readonly client: HttpClient,
    readonly remoteName: string,
    readonly store: string,
    private readonly limiter: ByteLimiter,
    private readonly signal?: AbortSignal,
  ) {
    this.description = `remote '${remoteName}', datastore '${store}'`;
  }

  private path(sub: string): string {
    return `/admin/datastore/${encodeURIComponent(this.store)}/${sub}`;
  }

  async listNamespaces(base: string, maxDepth: number | undefined): Promise<string[]> {
    try {
      const items = (await this.client.get(this.path('namespace'), {
        ...(base !== '' && { parent: base }),
        ...(maxDepth !== undefined && { 'max-depth': maxDepth }),
      })) as { ns: string }[] | null;
      const list = (items ?? []).map((i) => i.ns);
      if (!list.includes(base)) list.unshift(base);
      return list;
    } catch (err) {
      // a server without namespace support: only the root exists (PBS falls back the same way)
      if (
        err instanceof AppError &&
        err.code === 'NOT_FOUND' &&
        base === '' &&
        /api path|not found/i.test(err.message)
      )
        return [''];
      throw err;
    }
  }

  async listGroups(ns: string): Promise<SourceGroup[]> {
    const items = ((await this.client.get(this.path('groups'), ns !== '' ? { ns } : {})) ??
      []) as PbsGroupItem[];
    return items.map((g) => ({
      type: g['backup-type'] as BackupGroupRef['type'],
      id: g['backup-id'],
      owner: g.owner,
    }));
  }

  async listSnapshots(ns: string, group: BackupGroupRef): Promise<SourceSnapshot[]> {
    const items = ((await this.client.get(this.path('snapshots'), {
      ...(ns !== '' && { ns }),
      'backup-type': group.type,
      'backup-id': group.id,
    })) ?? []) as PbsSnapshotItem[];
    return items.map((s) => ({
      time: s['backup-time'],
      size: s.size ?? null,
      verification: s.verification,
      protected: s.protected,
      files: (s.files ?? []).map((f) =>
        typeof f === 'string' ? { filename: f } : { filename: f.filename, cryptMode: f['crypt-mode'] },
      ),
    }));
  }

  async openSnapshot(ns: string, snap: SnapshotRef): Promise<SnapshotSource> {
    const reader = await BackupReader.start(this.client, { store: this.store, ns, snapshot: snap });
    const { limiter, signal } = this;
    return {
      async readFile(name) {
        const raw = await reader.downloadRaw(name);
        await limiter.consume(raw.length, signal);
        return raw;
      },
      async readChunk(digest) {
        const raw = await reader.downloadChunk(digest);
        await limiter.consume(raw.length, signal);
        return raw;
      },
      close: async () => {
        await reader.close().catch(() => reader.destroy());
      },
    };
  }
}

/** Pull source on this server: another datastore (a local sync job has no remote). */
export class LocalSource implements SyncSource {
  readonly description: string;

  constructor(
    private readonly datastore: Datastore,
    readonly store: string,
    private readonly limiter: ByteLimiter,
    private readonly signal?: AbortSignal,
  ) {
    this.description = `local datastore '${store}'`;
  }

  async listNamespaces(base: string, maxDepth: number | undefined): Promise<string[]> {
    const list = (await this.datastore.listNamespaces(base, maxDepth)).map((i) => i.ns);
    if (!list.includes(base)) list.unshift(base);
    return list;
  }

  async listGroups(ns: string): Promise<SourceGroup[]> {
    return (await this.datastore.listGroups(ns)).map((g) => ({
      type: g.type,
      id: g.id,
      owner: g.owner ?? undefined,
    }));
  }

  async listSnapshots(ns: string, group: BackupGroupRef): Promise<SourceSnapshot[]> {
    return (await this.datastore.listSnapshots(ns, group)).map((s) => ({
      time: s.time,
      size: s.finished ? (s.size ?? 0) : null,
      verification: s.verification,
      protected: s.protected,
      files: s.files.map((f) => ({ filename: f.filename, cryptMode: f.cryptMode })),
    }));
  }

  async openSnapshot(ns: string, snap: SnapshotRef): Promise<SnapshotSource> {
    const reader = await this.datastore.openReader(ns, snap);
    const { limiter, signal } = this;
    return {
      async readFile(name) {
        const raw = await reader.readFile(name);
        await limiter.consume(raw.length, signal);
        return raw;
      },
      async readChunk(digest) {
        const raw = (await reader.loadChunk(digest)).raw;
        await limiter.consume(raw.length, signal);
        return raw;
      },
      close() {
        reader.close();
        return Promise.resolve();
      },
    };
  }
}
