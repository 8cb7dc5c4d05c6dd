/*
 * Tape backup (PBS api2/tape/backup.rs): datastore → the pool's current media set. Snapshots
 * are chosen by namespace (and depth), group filters and latest-only; those already in the set
 * are skipped. Per snapshot: the chunks its indexes reference that the set lacks go out as chunk
 * archives, then the snapshot archive; the pool writer moves to the next tape at LEOM. At the
 * end a catalog archive closes the session on the current tape. S3 datastores are refused as
 * sources, as by PBS 4.0.5 (restore may target them).
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import { FileLock } from '@pbs/config';
import { parseGroupFilter, type GroupFilter } from '@pbs/api-types/domain';
import {
  formatSnapshotPath,
  MANIFEST_BLOB_NAME,
  CLIENT_LOG_BLOB_NAME,
  type Datastore,
  type Digest,
  type SnapshotRef,
} from '@pbs/datastore';
import type { SnapshotFile } from '../format/archives.js';
import type { Inventory } from '../state/inventory.js';
import { MediaPool } from '../state/media-pool.js';
import type { TapeContext, TapeDevice, TapeKeyLookup } from './context.js';
import { PoolWriter, type PendingChunk } from './pool-writer.js';

export interface TapeBackupOptions {
  store: Datastore;
  device: TapeDevice;
  inventory: Inventory;
  stateDir: string;
  pool: { name: string; allocation?: string; retention?: string; encrypt?: string };
  ns?: string;
  maxDepth?: number;
  groupFilter?: readonly string[];
  latestOnly?: boolean;
  forceMediaSet?: boolean;
  ejectMedia?: boolean;
  exportMediaSet?: boolean;
  /** tape encryption keys by fingerprint (for pools with `encrypt`) */
  encryptionKeys?: TapeKeyLookup;
}

export interface TapeBackupResult {
  mediaSet: string;
  snapshots: number;
  skipped: number;
  chunks: number;
  bytes: number;
  media: string[];
}

function groupMatches(filters: readonly GroupFilter[], type: string, id: string): boolean {
  const matches = (f: GroupFilter) =>
    f.kind === 'type'
      ? f.value === type
      : f.kind === 'group'
        ? f.value === `${type}/${id}`
        : new RegExp(f.value).test(`${type}/${id}`);
  const includes = filters.filter((f) => !f.exclude);
  if (includes.length > 0 && !includes.some(matches)) return false;
  return !filters.some((f) => f.exclude && matches(f));
}

export function parseGroupFilters(list: readonly string[] | undefined): GroupFilter[] {
  return (list ?? []).map((text) => {
    const f = parseGroupFilter(text);
    if (typeof f === 'string') throw new AppError('INVALID_ARGUMENT', f);
    return f;
  });
}

export function refuseS3(ds: Datastore): void {
  if (!ds.backend.capabilities.local) {
    throw new AppError(
      'NOT_IMPLEMENTED',
      `datastore '${ds.name}': tape backup of S3 datastores is not supported (as in PBS 4.0.5); restoring into one is`,
    );
  }
}

interface Selected {
  ns: string;
  snap: SnapshotRef;
  path: string;
}

async function selectSnapshots(opts: TapeBackupOptions, ctx: TapeContext): Promise<Selected[]> {
  const ds = opts.store;
  const filters = parseGroupFilters(opts.groupFilter);
  const selected: Selected[] = [];
  for (const { ns } of await ds.listNamespaces(opts.ns ?? '', opts.maxDepth)) {
    for (const group of await ds.listGroups(ns)) {
      if (!groupMatches(filters, group.type, group.id)) continue;
      const finished = (await ds.listSnapshots(ns, group))
        .filter((s) => s.finished)
        .sort((a, b) => a.time - b.time);
      const chosen = opts.latestOnly ? finished.slice(-1) : finished;
      for (const s of chosen) {
        const snap = { type: s.type, id: s.id, time: s.time };
        selected.push({ ns, snap, path: formatSnapshotPath(ns, snap) });
      }
    }
  }
  ctx.log(`found ${selected.length} snapshots`);
  return selected;
}

async function snapshotContent(
  ds: Datastore,
  sel: Selected,
): Promise<{ files: SnapshotFile[]; chunks: PendingChunk[] }> {
  const reader = await ds.openReader(sel.ns, sel.snap);
  try {
    const { manifest, raw } = await ds.loadManifest(sel.ns, sel.snap);
    const files: SnapshotFile[] = [];
    const digests = new Set<Digest>();
    for (const f of manifest.files) {
      files.push({ name: f.filename, data: await reader.readFile(f.filename) });
      if (f.filename.endsWith('.fidx') || f.filename.endsWith('.didx')) {
        const index = await ds.openIndex(sel.ns, sel.snap, f.filename);
        for (const d of index.digests()) digests.add(d);
      }
    }
    files.push({ name: MANIFEST_BLOB_NAME, data: raw });
    try {
      files.push({ name: CLIENT_LOG_BLOB_NAME, data: await reader.readFile(CLIENT_LOG_BLOB_NAME) });
    } catch (err) {
      if ((err as AppError).code !== 'NOT_FOUND') throw err;
    }
    const chunks = [...digests].map((digest) => ({
      digest,
      load: async () => (await ds.chunkStore.loadChunk(digest)).raw,
    }));
    return { files, chunks };
  } finally {
    reader.close();
  }
}

/** the pool's lock file: one writer per pool at a time (PBS lock_media_pool / lock_media_set) */
export function poolLockPath(stateDir: string, pool: string): string {
  return path.join(stateDir, `.pool-${pool}.lck`);
}

export async function runTapeBackup(ctx: TapeContext, opts: TapeBackupOptions): Promise<TapeBackupResult> {
  refuseS3(opts.store);
  await fsp.mkdir(opts.stateDir, { recursive: true });
  let lock: FileLock;
  try {
    lock = await FileLock.acquire(poolLockPath(opts.stateDir, opts.pool.name), { timeoutMs: 100 });
  } catch (err) {
    throw new AppError('BUSY', `media pool '${opts.pool.name}' is in use by another tape backup`, {
      cause: err,
    });
  }
  try {
    return await backupLocked(ctx, opts);
  } finally {
    lock.release();
  }
}

async function backupLocked(ctx: TapeContext, opts: TapeBackupOptions): Promise<TapeBackupResult> {
  const { device, inventory } = opts;
  ctx.log(
    `tape backup of datastore '${opts.store.name}' to pool '${opts.pool.name}' via drive '${device.driveName}'`,
  );
  await inventory.updateOnline(device.changerName, await device.changer.onlineMedia());
  const pool = new MediaPool({ ...opts.pool, inventory, changer: device.changerName });
  const selected = await selectSnapshots(opts, ctx);
  const writer = await PoolWriter.start({
    device,
    pool,
    inventory,
    stateDir: opts.stateDir,
    ctx,
    forceMediaSet: opts.forceMediaSet,
    encryptionKeys: opts.encryptionKeys,
  });
  const result: TapeBackupResult = {
    mediaSet: pool.currentMediaSet,
    snapshots: 0,
    skipped: 0,
    chunks: 0,
    bytes: 0,
    media: [],
  };
  try {
    for (const [i, sel] of selected.entries()) {
      ctx.signal.throwIfAborted();
      if (writer.containsSnapshot(opts.store.name, sel.path)) {
        ctx.log(`skip snapshot ${sel.path} - already on the media set`);
        result.skipped += 1;
        continue;
      }
      const { files, chunks } = await snapshotContent(opts.store, sel);
      await writer.writeChunks(opts.store.name, chunks);
      await writer.writeSnapshot(opts.store.name, sel.path, sel.ns === '', files);
      ctx.log(`wrote snapshot ${sel.path}`);
      result.snapshots += 1;
      ctx.progress({
        fraction: (i + 1) / selected.length,
        phase: 'writing snapshots',
        itemsDone: i + 1,
        itemsTotal: selected.length,
        bytesDone: writer.bytesWritten,
      });
    }
    await writer.finish();
  } finally {
    writer.close();
  }
  result.chunks = writer.chunksWritten;
  result.bytes = writer.bytesWritten;
  result.media = writer.usedMedia;
  if (opts.exportMediaSet) {
    for (const label of pool.currentMediaList().map((u) => inventory.lookup(u)?.id.label.label_text)) {
      if (label === undefined) continue;
      const done = await device.changer.exportMedia(label);
      ctx.log(done ? `exported media '${label}'` : `no free import/export slot for media '${label}'`);
    }
    await inventory.updateOnline(device.changerName, await device.changer.onlineMedia());
  } else if (opts.ejectMedia) {
    await device.changer.unload(device.drivenum);
    ctx.log('media ejected');
  }
  ctx.log(
    `tape backup finished: ${result.snapshots} snapshots, ${result.chunks} chunks, media ${result.media.join(', ')}`,
  );
  return result;
}
