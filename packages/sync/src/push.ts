import { AppError, toAppError } from '@pbs/api-types/errors';
import { BackupWriter, type HttpClient } from '@pbs/client';
import {
  CLIENT_LOG_BLOB_NAME,
  DynamicIndexReader,
  FixedIndexReader,
  MANIFEST_BLOB_NAME,
  type BackupGroupRef,
  type Datastore,
  type Digest,
  type IndexFile,
  type SnapshotReader,
  type SnapshotRef,
} from '@pbs/datastore';
import {
  describeGroup,
  describeSnapshot,
  emptyStats,
  formatBytes,
  mapLimit,
  rateText,
  type SyncContext,
  type SyncStats,
} from './context.js';
import { groupFilterPredicate } from './group-filter.js';
import { checkSyncDepth, mapNamespace, nsComponents } from './namespace-map.js';
import type { ByteLimiter } from './rate-limit.js';
import { selectSnapshots } from './snapshot-selection.js';
import { RemoteSource } from './sources.js';

/*
 * A push (server/push.rs, pbs §13.3 last paragraph): local namespaces below `sourceNs` map to
 * the remote below `targetNs` (created there as needed); per group the local snapshots newer than
 * the remote's newest go up through the backup protocol. The remote's previous snapshot seeds the
 * session's known chunks (GET /previous for every index it has), so only chunks it lacks are
 * uploaded — as the stored, already encoded blobs. Index entries are appended in order, the
 * index closed with its checksum, blobs and the manifest uploaded unchanged, then /finish: until
 * then the remote keeps nothing. remove-vanished deletes remote snapshots and groups the local
 * side no longer has.
 */

export interface PushOptions {
  readonly source: Datastore;
  readonly sourceStore: string;
  readonly sourceNs: string;
  readonly remote: HttpClient;
  readonly remoteName: string;
  readonly remoteStore: string;
  readonly targetNs: string;
  /** only groups owned by this local auth id (and its tokens) are pushed; unset: all */
  readonly owner?: string | undefined;
  readonly maxDepth?: number | undefined;
  readonly groupFilter?: readonly string[] | undefined;
  readonly removeVanished?: boolean | undefined;
  readonly transferLast?: number | undefined;
  readonly encryptedOnly?: boolean | undefined;
  readonly verifiedOnly?: boolean | undefined;
  /** rate-out */
  readonly limiter: ByteLimiter;
  readonly chunkConcurrency?: number | undefined;
}

const APPEND_BATCH = 1024;

function decodeIndexFile(name: string, raw: Buffer): IndexFile {
  return name.endsWith('.fidx') ? FixedIndexReader.decode(raw, name) : DynamicIndexReader.decode(raw, name);
}

function ownedBy(owner: string | null, authId: string): boolean {
  return owner !== null && (owner === authId || owner.startsWith(`${authId}!`));
}

class Pusher {
  readonly stats: SyncStats = emptyStats();
  private readonly include: (g: BackupGroupRef) => boolean;
  private readonly remoteView: RemoteSource;
  private groupsDone = 0;
  private groupsTotal = 0;

  constructor(
    private readonly opts: PushOptions,
    private readonly ctx: SyncContext,
  ) {
    this.include = groupFilterPredicate(opts.groupFilter);
    this.remoteView = new RemoteSource(opts.remote, opts.remoteName, opts.remoteStore, {
      consume: () => Promise.resolve(),
      rate: undefined,
    });
  }

  private path(sub: string): string {
    return `/admin/datastore/${encodeURIComponent(this.opts.remoteStore)}/${sub}`;
  }

  private report(phase: string, inGroup = 0): void {
    this.ctx.progress({
      phase,
      itemsDone: this.groupsDone,
      itemsTotal: this.groupsTotal,
      bytesDone: this.stats.bytes,
      fraction: this.groupsTotal === 0 ? null : Math.min(1, (this.groupsDone + inGroup) / this.groupsTotal),
    });
  }

  async run(): Promise<SyncStats> {
    const { opts, ctx } = this;
    const started = ctx.clock.now();
    checkSyncDepth(opts.sourceNs, opts.targetNs, opts.maxDepth);
    ctx.log(
      `push from datastore '${opts.sourceStore}'${opts.sourceNs === '' ? '' : ` namespace '${opts.sourceNs}'`} to remote '${opts.remoteName}', datastore '${opts.remoteStore}'${opts.targetNs === '' ? '' : ` namespace '${opts.targetNs}'`}`,
    );
    const namespaces = (await opts.source.listNamespaces(opts.sourceNs, opts.maxDepth)).map((i) => i.ns);
    if (!namespaces.includes(opts.sourceNs)) namespaces.unshift(opts.sourceNs);
    namespaces.sort((a, b) => nsComponents(a).length - nsComponents(b).length || a.localeCompare(b));
    this.stats.namespaces = namespaces.length;
    const remoteNamespaces = new Set(await this.remoteView.listNamespaces('', undefined).catch(() => ['']));

    const work: { sourceNs: string; targetNs: string; group: BackupGroupRef }[] = [];
    const localGroupsByTarget = new Map<string, Set<string>>();
    let failedNamespaces = 0;
    for (const sourceNs of namespaces) {
      try {
        const targetNs = mapNamespace(sourceNs, opts.sourceNs, opts.targetNs);
        await this.ensureRemoteNamespace(targetNs, remoteNamespaces);
        const groups = (await opts.source.listGroups(sourceNs)).filter(
          (g) => this.include(g) && (opts.owner === undefined || ownedBy(g.owner, opts.owner)),
        );
        localGroupsByTarget.set(targetNs, new Set(groups.map((g) => `${g.type}/${g.id}`)));
        for (const g of groups) work.push({ sourceNs, targetNs, group: { type: g.type, id: g.id } });
      } catch (err) {
        failedNamespaces++;
        ctx.warn(`namespace '${sourceNs}': ${toAppError(err).message}`);
      }
    }
    this.groupsTotal = work.length;
    ctx.log(`found ${work.length} group(s) to push`);
    for (const item of work) {
      ctx.signal.throwIfAborted();
      this.report(
        `group ${this.groupsDone + 1} of ${this.groupsTotal}: ${describeGroup(item.sourceNs, item.group)}`,
      );
      try {
        await this.pushGroup(item.sourceNs, item.targetNs, item.group);
        this.stats.groups++;
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        this.stats.groupsFailed++;
        ctx.warn(
          `push group ${describeGroup(item.sourceNs, item.group)} failed - ${toAppError(err).message}`,
        );
      }
      this.groupsDone++;
    }
    if (opts.removeVanished === true && failedNamespaces === 0) {
      for (const [targetNs, present] of localGroupsByTarget) {
        const remoteGroups = await this.remoteView.listGroups(targetNs).catch(() => []);
        for (const g of remoteGroups) {
          if (present.has(`${g.type}/${g.id}`) || !this.include(g)) continue;
          ctx.log(`delete vanished group ${describeGroup(targetNs, g)} on the remote`);
          await opts.remote.delete(this.path('groups'), {
            ...(targetNs !== '' && { ns: targetNs }),
            'backup-type': g.type,
            'backup-id': g.id,
          });
          this.stats.removedGroups++;
        }
      }
    }
    this.report('done');
    const s = this.stats;
    ctx.log(
      `summary: ${s.groups} group(s), ${s.snapshots} snapshot(s) pushed; ${s.chunksTransferred} chunk(s) uploaded (${formatBytes(s.chunkBytes)}), ${s.chunksExisting} known to the remote; ${formatBytes(s.bytes)} transferred in total (${s.bytes} bytes, ${rateText(s.bytes, ctx.clock.now() - started)})`,
    );
    const failures = s.groupsFailed + failedNamespaces;
    if (failures > 0) throw new AppError('INTERNAL', `push failed with ${failures} error(s) (see the log)`);
    return s;
  }

  private async ensureRemoteNamespace(ns: string, known: Set<string>): Promise<void> {
    const parts = nsComponents(ns);
    for (let i = 0; i < parts.length; i++) {
      const full = parts.slice(0, i + 1).join('/');
      if (known.has(full)) continue;
      try {
        await this.opts.remote.post(this.path('namespace'), {
          ...(i > 0 && { parent: parts.slice(0, i).join('/') }),
          name: parts[i] as string,
        });
        this.ctx.log(`created namespace '${full}' on the remote`);
      } catch (err) {
        if (
          !(err instanceof AppError && err.code === 'ALREADY_EXISTS') &&
          !/already exists/.test(String(err))
        )
          throw err;
      }
      known.add(full);
    }
  }

  private async pushGroup(sourceNs: string, targetNs: string, group: BackupGroupRef): Promise<void> {
    const { opts, ctx } = this;
    const local = await opts.source.listSnapshots(sourceNs, group);
    const remote = await this.remoteView.listSnapshots(targetNs, group).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return [];
      throw err;
    });
    const remoteFinished = remote.filter((s) => s.size !== null).map((s) => s.time);
    const lastRemote = remoteFinished.length > 0 ? Math.max(...remoteFinished) : undefined;
    const selection = selectSnapshots(
      local.map((s) => ({
        time: s.time,
        size: s.finished ? (s.size ?? 0) : null,
        verification: s.verification,
        files: s.files.map((f) => ({ filename: f.filename, cryptMode: f.cryptMode })),
      })),
      {
        lastTargetTime: lastRemote,
        transferLast: opts.transferLast,
        verifiedOnly: opts.verifiedOnly,
        encryptedOnly: opts.encryptedOnly,
      },
    );
    // a remote snapshot cannot be rewritten: the one with the remote's last time is done
    const toPush = selection.selected.filter((s) => lastRemote === undefined || s.time > lastRemote);
    const what = describeGroup(sourceNs, group);
    if (selection.skipped.alreadySynced > 0)
      ctx.log(`${what}: skipped ${selection.skipped.alreadySynced} already pushed snapshot(s)`);
    if (selection.skipped.transferLast > 0)
      ctx.log(`${what}: skipped ${selection.skipped.transferLast} snapshot(s) due to transfer-last`);
    let done = 0;
    for (const sel of toPush) {
      ctx.signal.throwIfAborted();
      const snap: SnapshotRef = { ...group, time: sel.time };
      this.report(
        `group ${this.groupsDone + 1} of ${this.groupsTotal}: ${describeSnapshot(sourceNs, snap)} (snapshot ${done + 1} of ${toPush.length})`,
        done / toPush.length,
      );
      await this.pushSnapshot(sourceNs, targetNs, snap);
      done++;
    }
    if (opts.removeVanished === true) {
      for (const r of remote) {
        if (selection.sourceTimes.has(r.time) || r.size === null) continue;
        if (r.protected === true) {
          ctx.warn(
            `not removing vanished remote snapshot ${describeSnapshot(targetNs, { ...group, time: r.time })}: protected`,
          );
          continue;
        }
        ctx.log(
          `delete vanished snapshot ${describeSnapshot(targetNs, { ...group, time: r.time })} on the remote`,
        );
        await opts.remote.delete(this.path('snapshots'), {
          ...(targetNs !== '' && { ns: targetNs }),
          'backup-type': group.type,
          'backup-id': group.id,
          'backup-time': r.time,
        });
        this.stats.removedSnapshots++;
      }
    }
  }

  private async pushSnapshot(sourceNs: string, targetNs: string, snap: SnapshotRef): Promise<void> {
    const { opts, ctx } = this;
    ctx.log(`push snapshot ${describeSnapshot(sourceNs, snap)}`);
    const reader = await opts.source.openReader(sourceNs, snap);
    let writer: BackupWriter | undefined;
    try {
      const manifestRaw = await reader.readFile(MANIFEST_BLOB_NAME);
      const { manifest } = await opts.source.loadManifest(sourceNs, snap);
      writer = await BackupWriter.start(opts.remote, {
        store: opts.remoteStore,
        ns: targetNs,
        snapshot: snap,
      });
      await this.registerPrevious(writer);
      for (const file of manifest.files) {
        ctx.signal.throwIfAborted();
        const raw = await reader.readFile(file.filename);
        if (file.filename.endsWith('.blob')) {
          await opts.limiter.consume(raw.length, ctx.signal);
          await writer.uploadRawBlob(file.filename, raw);
          this.stats.bytes += raw.length;
        } else {
          await this.pushIndex(writer, reader, file.filename, raw);
        }
      }
      // the client log is never in the manifest: it goes up as an extra blob (PBS push_snapshot)
      const clientLog = await reader.readFile(CLIENT_LOG_BLOB_NAME).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return undefined;
        throw err;
      });
      if (clientLog !== undefined) {
        await writer.uploadRawBlob(CLIENT_LOG_BLOB_NAME, clientLog);
        this.stats.bytes += clientLog.length;
      }
      await writer.uploadRawBlob(MANIFEST_BLOB_NAME, manifestRaw);
      this.stats.bytes += manifestRaw.length;
      await writer.finish();
      writer = undefined;
      this.stats.snapshots++;
    } catch (err) {
      this.stats.snapshotsFailed++;
      writer?.abort();
      throw err;
    } finally {
      reader.close();
    }
  }

  /** The remote's previous snapshot: every index it has seeds the known chunks. */
  private async registerPrevious(writer: BackupWriter): Promise<void> {
    if ((await writer.previousBackupTime()) === null) return;
    try {
      const previous = await writer.previousManifest();
      for (const file of previous.files) {
        if (file.filename.endsWith('.fidx') || file.filename.endsWith('.didx'))
          await writer.registerPreviousIndex(file.filename, previous);
      }
    } catch (err) {
      this.ctx.warn(`could not use the remote's previous snapshot - ${toAppError(err).message}`);
    }
  }

  private async pushIndex(
    writer: BackupWriter,
    reader: SnapshotReader,
    name: string,
    raw: Buffer,
  ): Promise<void> {
    const { opts, ctx } = this;
    const index = decodeIndexFile(name, raw);
    const kind = name.endsWith('.fidx') ? 'fixed' : 'dynamic';
    const { csum, size } = index.computeCsum();
    const wid = (await writer.h2.post(`/${kind}_index`, {
      'archive-name': name,
      ...(kind === 'fixed' && { size }),
    })) as number;
    const entries: { digest: Digest; start: number; size: number }[] = [];
    const missing = new Map<Digest, number>();
    for (let pos = 0; pos < index.count; pos++) {
      const info = index.chunkInfo(pos);
      if (!info) continue;
      entries.push({ digest: info.digest, start: info.start, size: info.end - info.start });
      if (!writer.known.has(info.digest)) missing.set(info.digest, info.end - info.start);
    }
    for (const digest of writer.known.keys()) missing.delete(digest);
    this.stats.chunksExisting += new Set(entries.map((e) => e.digest)).size - missing.size;
    await mapLimit([...missing], opts.chunkConcurrency ?? 4, async ([digest, chunkSize]) => {
      ctx.signal.throwIfAborted();
      const blob = (await reader.loadChunk(digest)).raw;
      await opts.limiter.consume(blob.length, ctx.signal);
      await writer.h2.upload(
        `/${kind}_chunk`,
        { wid, digest, size: chunkSize, 'encoded-size': blob.length },
        blob,
      );
      writer.known.set(digest, { done: true, promise: Promise.resolve() });
      this.stats.chunksTransferred++;
      this.stats.chunkBytes += blob.length;
      this.stats.bytes += blob.length;
      this.report(`group ${this.groupsDone + 1} of ${this.groupsTotal}`);
    });
    for (let i = 0; i < entries.length; i += APPEND_BATCH) {
      const batch = entries.slice(i, i + APPEND_BATCH);
      await writer.h2.putJson(`/${kind}_index`, {
        wid,
        'digest-list': batch.map((e) => e.digest),
        'offset-list': batch.map((e) => e.start),
      });
    }
    await writer.h2.post(`/${kind}_close`, {
      wid,
      'chunk-count': index.count,
      size,
      csum: csum.toString('hex'),
    });
    this.stats.bytes += raw.length;
  }
}

/** Runs a push; throws when any group failed (after trying all). */
export function push(opts: PushOptions, ctx: SyncContext): Promise<SyncStats> {
  return new Pusher(opts, ctx).run();
}
