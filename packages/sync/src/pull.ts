import { createHash } from 'node:crypto';
import { AppError, toAppError } from '@pbs/api-types/errors';
import {
  CLIENT_LOG_BLOB_NAME,
  DataBlob,
  decodeManifestBlob,
  DynamicIndexReader,
  FixedIndexReader,
  isBackupOwner,
  MANIFEST_BLOB_NAME,
  verifyManifestFile,
  type BackupGroupRef,
  type BackupManifest,
  type BackupWriter,
  type Digest,
  type Datastore,
  type IndexFile,
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
import { checkSyncDepth, depthBelow, isUnderNs, mapNamespace, nsComponents } from './namespace-map.js';
import { selectSnapshots } from './snapshot-selection.js';
import type { SnapshotSource, SyncSource } from './sources.js';

/*
 * A pull (server/pull.rs, pbs §13.3): source namespaces below `sourceNs` (to max-depth) map to
 * the same paths below `targetNs`; per namespace the filtered groups, per group the selected
 * snapshots (snapshot-selection.ts) are copied. A snapshot goes through the datastore's backup
 * writer: indexes and blobs are checked against the source manifest, chunks the target lacks are
 * downloaded (unencrypted ones verified by digest before insert), chunks it has are touched and
 * reused, and the source manifest is written last — so an interrupted pull leaves no snapshot,
 * and the next run starts that snapshot again. remove-vanished then deletes what the source no
 * longer has (only in groups the job owner owns and the filters select).
 *
 * Locking: each snapshot holds its group's backup lock on the target while it is written, like a
 * backup; the source snapshot is read under the source's shared snapshot lock (reader session).
 */

export interface PullOptions {
  readonly source: SyncSource;
  readonly sourceNs: string;
  readonly target: Datastore;
  readonly targetStore: string;
  readonly targetNs: string;
  /** owner of groups the pull creates; existing groups must be owned by it */
  readonly owner: string;
  readonly maxDepth?: number | undefined;
  readonly groupFilter?: readonly string[] | undefined;
  readonly removeVanished?: boolean | undefined;
  readonly transferLast?: number | undefined;
  readonly resyncCorrupt?: boolean | undefined;
  readonly encryptedOnly?: boolean | undefined;
  readonly verifiedOnly?: boolean | undefined;
  /** groups synced in parallel (default 1) */
  readonly workerThreads?: number | undefined;
  /** chunk downloads in flight per snapshot (default 4) */
  readonly chunkConcurrency?: number | undefined;
}

interface GroupWork {
  readonly sourceNs: string;
  readonly targetNs: string;
  readonly group: BackupGroupRef;
}

/** The manifest's JSON with sorted keys: equal for equal content, whatever the encoding. */
function canonical(raw: Buffer): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
    );
  };
  return JSON.stringify(sorted(JSON.parse(DataBlob.load(raw, MANIFEST_BLOB_NAME).decode().toString('utf8'))));
}

function sameFiles(a: BackupManifest, b: BackupManifest): boolean {
  const key = (m: BackupManifest) =>
    m.files
      .map((f) => `${f.filename}:${f.size}:${f.csum}:${f.cryptMode}`)
      .sort()
      .join('|');
  return key(a) === key(b);
}

function decodeIndexFile(name: string, raw: Buffer): IndexFile {
  return name.endsWith('.fidx') ? FixedIndexReader.decode(raw, name) : DynamicIndexReader.decode(raw, name);
}

class Puller {
  readonly stats: SyncStats = emptyStats();
  private readonly include: (g: BackupGroupRef) => boolean;
  private groupsDone = 0;
  private groupsTotal = 0;

  constructor(
    private readonly opts: PullOptions,
    private readonly ctx: SyncContext,
  ) {
    this.include = groupFilterPredicate(opts.groupFilter);
  }

  private report(phase: string, inGroup = 0): void {
    const { stats } = this;
    this.ctx.progress({
      phase,
      itemsDone: this.groupsDone,
      itemsTotal: this.groupsTotal,
      bytesDone: stats.bytes,
      fraction: this.groupsTotal === 0 ? null : Math.min(1, (this.groupsDone + inGroup) / this.groupsTotal),
    });
  }

  async run(): Promise<SyncStats> {
    const { opts, ctx } = this;
    const started = ctx.clock.now();
    checkSyncDepth(opts.sourceNs, opts.targetNs, opts.maxDepth);
    ctx.log(
      `pull from ${opts.source.description}${opts.sourceNs === '' ? '' : ` namespace '${opts.sourceNs}'`} into datastore '${opts.targetStore}'${opts.targetNs === '' ? '' : ` namespace '${opts.targetNs}'`}`,
    );
    const namespaces = await opts.source.listNamespaces(opts.sourceNs, opts.maxDepth);
    namespaces.sort((a, b) => nsComponents(a).length - nsComponents(b).length || a.localeCompare(b));
    this.stats.namespaces = namespaces.length;
    ctx.log(`found ${namespaces.length} namespace(s) to sync`);

    const work: GroupWork[] = [];
    const sourceGroupsByTarget = new Map<string, Set<string>>();
    const targetNamespaces = new Set<string>();
    let failedNamespaces = 0;
    for (const sourceNs of namespaces) {
      ctx.signal.throwIfAborted();
      try {
        const targetNs = mapNamespace(sourceNs, opts.sourceNs, opts.targetNs);
        await this.ensureNamespace(targetNs);
        targetNamespaces.add(targetNs);
        const groups = (await opts.source.listGroups(sourceNs))
          .filter((g) => this.include(g))
          .sort((a, b) => a.type.localeCompare(b.type) || a.id.localeCompare(b.id));
        sourceGroupsByTarget.set(targetNs, new Set(groups.map((g) => `${g.type}/${g.id}`)));
        for (const g of groups) work.push({ sourceNs, targetNs, group: { type: g.type, id: g.id } });
      } catch (err) {
        failedNamespaces++;
        ctx.warn(`namespace '${sourceNs}': ${toAppError(err).message}`);
      }
    }
    this.groupsTotal = work.length;
    ctx.log(`found ${work.length} group(s) to sync`);

    // worker-threads: groups in parallel (PBS 4.1.8); a failed group never stops the others
    await mapLimit(work, Math.max(1, opts.workerThreads ?? 1), async (item) => {
      ctx.signal.throwIfAborted();
      this.report(
        `group ${this.groupsDone + 1} of ${this.groupsTotal}: ${describeGroup(item.sourceNs, item.group)}`,
      );
      try {
        await this.pullGroup(item);
        this.stats.groups++;
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        this.stats.groupsFailed++;
        ctx.warn(
          `sync group ${describeGroup(item.sourceNs, item.group)} failed - ${toAppError(err).message}`,
        );
      }
      this.groupsDone++;
    });

    if (opts.removeVanished === true && failedNamespaces === 0) {
      await this.removeVanishedGroups(sourceGroupsByTarget);
      await this.removeVanishedNamespaces(targetNamespaces);
    }
    this.report('done');
    const s = this.stats;
    ctx.log(
      `summary: ${s.groups} group(s), ${s.snapshots} snapshot(s) synced; ${s.chunksTransferred} chunk(s) downloaded (${formatBytes(s.chunkBytes)}), ${s.chunksExisting} already present; ${formatBytes(s.bytes)} transferred in total (${s.bytes} bytes, ${rateText(s.bytes, ctx.clock.now() - started)})`,
    );
    if (opts.removeVanished === true)
      ctx.log(
        `removed vanished: ${s.removedSnapshots} snapshot(s), ${s.removedGroups} group(s), ${s.removedNamespaces} namespace(s)`,
      );
    const failures = s.groupsFailed + failedNamespaces;
    if (failures > 0) throw new AppError('INTERNAL', `sync failed with ${failures} error(s) (see the log)`);
    return s;
  }

  /** Creates `ns` and its missing parents on the target. */
  private async ensureNamespace(ns: string): Promise<void> {
    const parts = nsComponents(ns);
    for (let i = 0; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      try {
        await this.opts.target.createNamespace(parent, parts[i] as string);
        this.ctx.log(`created namespace '${parts.slice(0, i + 1).join('/')}'`);
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'ALREADY_EXISTS')) throw err;
      }
    }
  }

  private async corruptTargetSnapshots(ns: string, group: BackupGroupRef): Promise<Set<number>> {
    const corrupt = new Set<number>();
    for (const snap of await this.listTarget(ns, group)) {
      if (!snap.finished) continue;
      if (snap.verification?.state === 'failed') corrupt.add(snap.time);
      else
        try {
          await this.opts.target.loadManifest(ns, snap);
        } catch {
          corrupt.add(snap.time);
        }
    }
    return corrupt;
  }

  private async listTarget(ns: string, group: BackupGroupRef) {
    try {
      return await this.opts.target.listSnapshots(ns, group);
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return [];
      throw err;
    }
  }

  private async pullGroup({ sourceNs, targetNs, group }: GroupWork): Promise<void> {
    const { opts, ctx } = this;
    const sourceSnaps = await opts.source.listSnapshots(sourceNs, group);
    const targetSnaps = await this.listTarget(targetNs, group);
    const finished = targetSnaps.filter((s) => s.finished);
    const lastTargetTime = finished.length > 0 ? Math.max(...finished.map((s) => s.time)) : undefined;
    if (targetSnaps.length > 0) {
      const owner = await opts.target.getOwner(targetNs, group).catch(() => undefined);
      if (owner !== undefined && !isBackupOwner(owner, opts.owner)) {
        throw new AppError('PERMISSION_DENIED', `owner check failed (${opts.owner} != ${owner})`);
      }
    }
    const selection = selectSnapshots(sourceSnaps, {
      lastTargetTime,
      transferLast: opts.transferLast,
      verifiedOnly: opts.verifiedOnly,
      encryptedOnly: opts.encryptedOnly,
      resyncCorrupt: opts.resyncCorrupt,
      corruptOnTarget:
        opts.resyncCorrupt === true ? await this.corruptTargetSnapshots(targetNs, group) : new Set(),
    });
    const what = describeGroup(sourceNs, group);
    const { skipped } = selection;
    if (skipped.alreadySynced > 0)
      ctx.log(`${what}: skipped ${skipped.alreadySynced} already synced snapshot(s)`);
    if (skipped.transferLast > 0)
      ctx.log(`${what}: skipped ${skipped.transferLast} snapshot(s) due to transfer-last`);
    if (skipped.notVerified > 0) ctx.log(`${what}: skipped ${skipped.notVerified} not verified snapshot(s)`);
    if (skipped.notEncrypted > 0)
      ctx.log(`${what}: skipped ${skipped.notEncrypted} not encrypted snapshot(s)`);
    if (skipped.inProgress > 0) ctx.log(`${what}: skipped ${skipped.inProgress} unfinished snapshot(s)`);

    const byTime = new Map(sourceSnaps.map((s) => [s.time, s]));
    let done = 0;
    for (const sel of selection.selected) {
      ctx.signal.throwIfAborted();
      const snap: SnapshotRef = { ...group, time: sel.time };
      this.report(
        `group ${this.groupsDone + 1} of ${this.groupsTotal}: ${describeSnapshot(sourceNs, snap)} (snapshot ${done + 1} of ${selection.selected.length})`,
        done / selection.selected.length,
      );
      const hasLog = byTime.get(sel.time)?.files.some((f) => f.filename === CLIENT_LOG_BLOB_NAME) ?? false;
      await this.pullSnapshot(sourceNs, targetNs, snap, sel.resync, hasLog);
      done++;
    }

    if (opts.removeVanished === true) {
      for (const local of await this.listTarget(targetNs, group)) {
        if (selection.sourceTimes.has(local.time) || !local.finished) continue;
        if (local.protected) {
          ctx.warn(`not removing vanished snapshot ${describeSnapshot(targetNs, local)}: it is protected`);
          continue;
        }
        ctx.log(`delete vanished snapshot ${describeSnapshot(targetNs, local)}`);
        await opts.target.removeSnapshot(targetNs, local);
        this.stats.removedSnapshots++;
      }
    }
  }

  /** Copies one snapshot; the target shows it only once complete. */
  private async pullSnapshot(
    sourceNs: string,
    targetNs: string,
    snap: SnapshotRef,
    resync: boolean,
    hasLog: boolean,
  ): Promise<void> {
    const { opts, ctx } = this;
    const what = describeSnapshot(sourceNs, snap);
    const reader = await opts.source.openSnapshot(sourceNs, snap);
    try {
      const manifestRaw = await reader.readFile(MANIFEST_BLOB_NAME);
      this.stats.bytes += manifestRaw.length;
      const manifest = decodeManifestBlob(DataBlob.load(manifestRaw, `${what}: ${MANIFEST_BLOB_NAME}`));
      let allowOlder = false;
      const existing = await opts.target.loadManifest(targetNs, snap).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return undefined;
        if (resync) return undefined; // unreadable: replaced below
        throw err;
      });
      const existsOnTarget = existing !== undefined || resync;
      if (existing !== undefined && !resync) {
        if (canonical(existing.raw) === canonical(manifestRaw)) {
          await this.pullClientLog(reader, targetNs, snap, hasLog);
          return;
        }
        if (sameFiles(existing.manifest, manifest)) {
          // only the unprotected part changed (verify state, notes): update it in place
          await opts.target.updateManifest(targetNs, snap, (unprotected) => {
            for (const key of Object.keys(unprotected)) delete unprotected[key];
            Object.assign(unprotected, manifest.unprotected);
          });
          ctx.log(`${what}: updated the manifest's unprotected part`);
          await this.pullClientLog(reader, targetNs, snap, hasLog);
          return;
        }
      }
      if (existsOnTarget) {
        const info = await opts.target.snapshotInfo(targetNs, snap).catch(() => undefined);
        if (info !== undefined) {
          if (info.protected)
            throw new AppError('INVALID_ARGUMENT', `${what}: cannot re-sync a protected snapshot`);
          ctx.log(
            `re-sync snapshot ${what}${resync ? ' due to corruption' : ' (contents changed on the source)'}`,
          );
          await opts.target.removeSnapshot(targetNs, snap, { force: true });
        }
        allowOlder = true;
      }
      ctx.log(`sync snapshot ${what}`);
      const writer = await opts.target.beginBackup(
        { ns: targetNs, group: snap, time: snap.time, authId: opts.owner, allowOlder },
        { warn: (m) => ctx.warn(m) },
      );
      try {
        for (const file of manifest.files) {
          ctx.signal.throwIfAborted();
          if (file.filename.endsWith('.blob')) await this.copyBlob(reader, writer, manifest, file.filename);
          else await this.copyIndex(reader, writer, manifest, file.filename);
        }
        await writer.finish(manifestRaw, { keepManifest: true });
      } catch (err) {
        await writer.abort().catch(() => undefined);
        throw err;
      }
      this.stats.snapshots++;
      await this.pullClientLog(reader, targetNs, snap, hasLog);
    } catch (err) {
      this.stats.snapshotsFailed++;
      throw err;
    } finally {
      await reader.close();
    }
  }

  private async pullClientLog(
    reader: SnapshotSource,
    targetNs: string,
    snap: SnapshotRef,
    hasLog: boolean,
  ): Promise<void> {
    if (!hasLog) return;
    const info = await this.opts.target.snapshotInfo(targetNs, snap);
    if (info.files.some((f) => f.filename === CLIENT_LOG_BLOB_NAME)) return;
    try {
      const raw = await reader.readFile(CLIENT_LOG_BLOB_NAME);
      this.stats.bytes += raw.length;
      await this.opts.target.uploadClientLog(targetNs, snap, raw);
    } catch (err) {
      this.ctx.warn(
        `${describeSnapshot(targetNs, snap)}: client log not copied - ${toAppError(err).message}`,
      );
    }
  }

  private async copyBlob(
    reader: SnapshotSource,
    writer: BackupWriter,
    manifest: BackupManifest,
    name: string,
  ) {
    const raw = await reader.readFile(name);
    this.stats.bytes += raw.length;
    verifyManifestFile(manifest, name, createHash('sha256').update(raw).digest('hex'), raw.length);
    await writer.writeBlob(name, raw);
  }

  private async copyIndex(
    reader: SnapshotSource,
    writer: BackupWriter,
    manifest: BackupManifest,
    name: string,
  ) {
    const raw = await reader.readFile(name);
    this.stats.bytes += raw.length;
    const index = decodeIndexFile(name, raw);
    const { csum, size } = index.computeCsum();
    verifyManifestFile(manifest, name, csum.toString('hex'), size);
    const sizes = new Map<Digest, number>();
    for (let pos = 0; pos < index.count; pos++) {
      const info = index.chunkInfo(pos);
      if (info && !sizes.has(info.digest)) sizes.set(info.digest, info.end - info.start);
    }
    const needed = [...sizes].filter(([digest]) => !writer.isKnownChunk(digest));
    await mapLimit(needed, this.opts.chunkConcurrency ?? 4, async ([digest, chunkSize]) => {
      this.ctx.signal.throwIfAborted();
      if (await writer.useExistingChunk(digest, chunkSize)) {
        this.stats.chunksExisting++;
        return;
      }
      const data = await reader.readChunk(digest);
      try {
        await writer.insertChunk(digest, data, { size: chunkSize });
      } catch (err) {
        const e = toAppError(err);
        throw new AppError('CORRUPT_DATA', `${name}: source chunk ${digest} is corrupt - ${e.message}`, {
          cause: e,
        });
      }
      this.stats.chunksTransferred++;
      this.stats.chunkBytes += data.length;
      this.stats.bytes += data.length;
      this.report(this.lastPhase);
    });
    await writer.writeIndex(name, raw);
  }

  private get lastPhase(): string {
    return `group ${this.groupsDone + 1} of ${this.groupsTotal}`;
  }

  /** Groups below the target namespaces that the source no longer has (owned by the job owner, matching the filters). */
  private async removeVanishedGroups(sourceGroups: Map<string, Set<string>>): Promise<void> {
    const { opts, ctx } = this;
    for (const [targetNs, present] of sourceGroups) {
      const local = await opts.target.listGroups(targetNs).catch(() => []);
      for (const g of local) {
        if (present.has(`${g.type}/${g.id}`) || !this.include(g)) continue;
        if (g.owner !== opts.owner) continue;
        ctx.log(`delete vanished group ${describeGroup(targetNs, g)}`);
        const removed = await opts.target.removeGroup(targetNs, g);
        this.stats.removedSnapshots += removed.removedSnapshots;
        if (removed.protectedKept === 0) this.stats.removedGroups++;
        else
          ctx.warn(
            `group ${describeGroup(targetNs, g)}: ${removed.protectedKept} protected snapshot(s) kept`,
          );
      }
    }
  }

  /**
   * Target namespaces below targetNs (within max-depth) without a source counterpart, deepest
   * first, with their groups — unless a group there belongs to someone other than the job owner.
   */
  private async removeVanishedNamespaces(present: Set<string>): Promise<void> {
    const { opts, ctx } = this;
    const local = (await opts.target.listNamespaces(opts.targetNs, opts.maxDepth)).map((i) => i.ns);
    const vanished = local
      .filter((ns) => ns !== opts.targetNs && isUnderNs(ns, opts.targetNs) && !present.has(ns))
      .sort((a, b) => depthBelow(b, opts.targetNs) - depthBelow(a, opts.targetNs));
    for (const ns of vanished) {
      const groups = await opts.target.listGroups(ns).catch(() => []);
      const foreign = groups.filter((g) => g.owner === null || !isBackupOwner(g.owner, opts.owner));
      if (foreign.length > 0) {
        ctx.warn(`vanished namespace '${ns}' kept: ${foreign.length} group(s) not owned by ${opts.owner}`);
        continue;
      }
      try {
        const result = await opts.target.removeNamespace(ns, { deleteGroups: true });
        this.stats.removedSnapshots += result.removedSnapshots;
        this.stats.removedGroups += result.removedGroups;
        if (result.removedAll) {
          ctx.log(`removed vanished namespace '${ns}'`);
          this.stats.removedNamespaces++;
        } else ctx.warn(`vanished namespace '${ns}' kept: it has protected snapshots`);
      } catch (err) {
        ctx.warn(`namespace '${ns}' not removed - ${toAppError(err).message}`);
      }
    }
  }
}

/** Runs a pull; throws when any group failed (after trying all), returning the counters otherwise. */
export function pull(opts: PullOptions, ctx: SyncContext): Promise<SyncStats> {
  return new Puller(opts, ctx).run();
}
