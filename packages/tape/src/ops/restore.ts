/*
 * Tape restore (PBS api2/tape/restore.rs): media set → chosen snapshots → target datastore and
 * namespace. Reads only the tapes it needs: first the media holding the chosen snapshot
 * archives (their files are kept until the end), then, from the media catalogs, only the chunk
 * archives holding chunks the indexes reference, tape by tape in set order; each chunk is
 * checked against its digest (plain chunks) before it enters the chunk store; finally each
 * snapshot is imported with its manifest last. Snapshots that already exist on the target are
 * skipped with a warning. Targets may be S3 datastores (chunks and files go through the
 * backend like a backup's); only tape backup refuses S3 sources, as PBS 4.0.5.
 */
import { AppError } from '@pbs/api-types/errors';
import {
  DataBlob,
  DynamicIndexReader,
  FixedIndexReader,
  MANIFEST_BLOB_NAME,
  parseSnapshotPath,
  type Datastore,
  type Digest,
} from '@pbs/datastore';
import { readChunkArchive, readSnapshotArchive, type SnapshotFile } from '../format/archives.js';
import { contentKindOf } from '../format/constants.js';
import type { Inventory } from '../state/inventory.js';
import { MediaCatalog } from '../state/media-catalog.js';
import {
  driveKeyFor,
  type TapeContext,
  type TapeDevice,
  type OpenDrive,
  type TapeKeyLookup,
} from './context.js';
import { openNextFile } from './media-io.js';
import { loadAndCheckMedia } from './pool-writer.js';

export interface NamespaceMapping {
  /** the source store the mapping applies to (default: every store) */
  store?: string;
  /** source namespace on tape ('' = root) */
  source: string;
  /** target namespace ('' = root) */
  target: string;
  maxDepth?: number;
}

export interface TapeRestoreOptions {
  device: TapeDevice;
  inventory: Inventory;
  stateDir: string;
  mediaSet: string;
  /** source store → target datastore; a source store without a target is not restored */
  targets: (sourceStore: string) => Datastore | undefined;
  /** 'store:[ns/…/]type/id/time'; default: every snapshot of the mapped stores */
  snapshots?: readonly string[];
  /** namespace mappings (first match wins); default: the same namespace */
  namespaces?: readonly NamespaceMapping[];
  owner: string;
  /** tape encryption keys by fingerprint (for encrypted media sets) */
  encryptionKeys?: TapeKeyLookup;
}

export interface TapeRestoreResult {
  restored: string[];
  skipped: string[];
  chunks: number;
  media: string[];
}

interface Wanted {
  store: string;
  path: string;
  ns: string;
  targetNs: string;
  media: string;
  fileNumber: number;
  files?: SnapshotFile[];
}

function nsDepth(ns: string): number {
  return ns === '' ? 0 : ns.split('/').length;
}

export function mapNamespace(
  ns: string,
  mappings: readonly NamespaceMapping[] | undefined,
): string | undefined {
  if (!mappings || mappings.length === 0) return ns;
  for (const m of mappings) {
    const under = m.source === '' || ns === m.source || ns.startsWith(`${m.source}/`);
    if (!under) continue;
    const rest = m.source === '' ? ns : ns.slice(m.source.length).replace(/^\//, '');
    if (m.maxDepth !== undefined && nsDepth(rest) > m.maxDepth) continue;
    return [m.target, rest].filter((p) => p !== '').join('/');
  }
  return undefined;
}

async function loadCatalogs(
  opts: TapeRestoreOptions,
): Promise<{ uuid: string; label: string; catalog: MediaCatalog }[]> {
  const members = opts.inventory.mediaSetMembers(opts.mediaSet);
  if (members.length === 0)
    throw new AppError('NOT_FOUND', `media set ${opts.mediaSet} is not in the inventory`);
  const list = [];
  for (const [seq, id] of members.entries()) {
    if (!id)
      throw new AppError(
        'NOT_FOUND',
        `media set ${opts.mediaSet} is incomplete: no medium with sequence number ${seq}`,
      );
    const catalog = await MediaCatalog.load(opts.stateDir, id.label.uuid);
    if (!catalog) {
      throw new AppError(
        'NOT_FOUND',
        `media catalog of '${id.label.label_text}' is missing - restore the catalog from tape first`,
      );
    }
    list.push({ uuid: id.label.uuid, label: id.label.label_text, catalog });
  }
  return list;
}

function indexDigests(file: SnapshotFile): Digest[] {
  if (file.name.endsWith('.fidx')) return [...FixedIndexReader.decode(file.data, file.name).digests()];
  if (file.name.endsWith('.didx')) return [...DynamicIndexReader.decode(file.data, file.name).digests()];
  return [];
}

export async function runTapeRestore(ctx: TapeContext, opts: TapeRestoreOptions): Promise<TapeRestoreResult> {
  const { device, inventory } = opts;
  await inventory.reload();
  const catalogs = await loadCatalogs(opts);
  const setLabel = inventory.mediaSetMembers(opts.mediaSet).find((m) => m?.media_set_label)?.media_set_label;
  const driveKey = await driveKeyFor(opts.encryptionKeys, setLabel);
  const wantedList = opts.snapshots ? new Set(opts.snapshots) : undefined;
  const wanted: Wanted[] = [];
  for (const { uuid, catalog } of catalogs) {
    for (const s of catalog.snapshots()) {
      const key = `${s.store}:${s.snapshot}`;
      if (wantedList ? !wantedList.has(key) : !opts.targets(s.store)) continue;
      if (wanted.some((w) => w.store === s.store && w.path === s.snapshot)) continue;
      const { ns } = parseSnapshotPath(s.snapshot);
      const mappings = opts.namespaces?.filter((m) => m.store === undefined || m.store === s.store);
      const targetNs = mapNamespace(ns, opts.namespaces === undefined ? undefined : mappings);
      if (targetNs === undefined) continue;
      wanted.push({ store: s.store, path: s.snapshot, ns, targetNs, media: uuid, fileNumber: s.fileNumber });
    }
  }
  for (const key of wantedList ?? []) {
    if (!wanted.some((w) => `${w.store}:${w.path}` === key)) {
      throw new AppError('NOT_FOUND', `snapshot '${key}' is not on media set ${opts.mediaSet}`);
    }
  }
  const stores = new Map<string, Datastore>();
  for (const w of wanted) {
    const ds = opts.targets(w.store);
    if (!ds) throw new AppError('INVALID_ARGUMENT', `no target datastore for source store '${w.store}'`);
    stores.set(w.store, ds);
  }
  ctx.log(`restore ${wanted.length} snapshots from media set ${opts.mediaSet}`);
  const result: TapeRestoreResult = { restored: [], skipped: [], chunks: 0, media: [] };
  const drive = await device.openDrive();
  try {
    // phase 1: the snapshot archives
    for (const { uuid, label } of catalogs) {
      const here = wanted.filter((w) => w.media === uuid).sort((a, b) => a.fileNumber - b.fileNumber);
      if (here.length === 0) continue;
      await loadMedia(ctx, device, drive, inventory, uuid, label, result);
      drive.setEncryptionKey(driveKey);
      for (const w of here) {
        ctx.signal.throwIfAborted();
        w.files = await readSnapshotFile(drive, label, w);
        ctx.log(`read snapshot archive ${w.store}:${w.path}`);
      }
    }
    // phase 2: the chunks the indexes need, from the chunk archives that hold them
    const needed = new Map<string, Set<string>>();
    for (const w of wanted) {
      let set = needed.get(w.store);
      if (!set) needed.set(w.store, (set = new Set()));
      for (const f of w.files ?? []) for (const d of indexDigests(f)) set.add(d);
    }
    for (const { uuid, label, catalog } of catalogs) {
      const files = new Map<number, string[]>();
      for (const [store, digests] of needed) {
        for (const d of digests) {
          const file = catalog.chunkFile(store, d);
          if (file === undefined) continue;
          if (!files.has(file)) files.set(file, []);
          files.get(file)?.push(store);
        }
      }
      if (files.size === 0) continue;
      await loadMedia(ctx, device, drive, inventory, uuid, label, result);
      drive.setEncryptionKey(driveKey);
      for (const fileNumber of [...files.keys()].sort((a, b) => a - b)) {
        ctx.signal.throwIfAborted();
        result.chunks += await restoreChunkArchive(drive, label, fileNumber, needed, stores);
      }
    }
    for (const [store, digests] of needed) {
      if (digests.size > 0) {
        throw new AppError(
          'CORRUPT_DATA',
          `${digests.size} chunks of store '${store}' are not on media set ${opts.mediaSet}`,
        );
      }
    }
  } finally {
    drive.close();
  }
  // phase 3: the snapshots, manifest last
  for (const [i, w] of wanted.entries()) {
    const ds = stores.get(w.store) as Datastore;
    const { snapshot } = parseSnapshotPath(w.path);
    const files = w.files ?? [];
    const manifest = files.find((f) => f.name === MANIFEST_BLOB_NAME);
    if (!manifest)
      throw new AppError('CORRUPT_DATA', `snapshot archive ${w.store}:${w.path} has no manifest`);
    await ensureNamespace(ds, w.targetNs);
    try {
      await ds.importSnapshot({
        ns: w.targetNs,
        snapshot,
        authId: opts.owner,
        files: files.filter((f) => f.name !== MANIFEST_BLOB_NAME),
        manifest: manifest.data,
      });
      result.restored.push(`${ds.name}:${w.targetNs === '' ? '' : `${w.targetNs} `}${w.path}`);
      ctx.log(
        `restored snapshot ${w.path} to datastore '${ds.name}'${w.targetNs ? ` namespace '${w.targetNs}'` : ''}`,
      );
    } catch (err) {
      if ((err as AppError).code !== 'ALREADY_EXISTS') throw err;
      ctx.warn(`skip snapshot ${w.path}: it already exists on datastore '${ds.name}'`);
      result.skipped.push(w.path);
    }
    ctx.progress({
      fraction: (i + 1) / wanted.length,
      phase: 'restoring snapshots',
      itemsDone: i + 1,
      itemsTotal: wanted.length,
    });
  }
  return result;
}

async function loadMedia(
  ctx: TapeContext,
  device: TapeDevice,
  drive: OpenDrive,
  inventory: Inventory,
  uuid: string,
  label: string,
  result: TapeRestoreResult,
): Promise<void> {
  const id = inventory.lookup(uuid)?.id;
  if (!id) throw new AppError('NOT_FOUND', `media ${uuid} is not in the inventory`);
  ctx.log(`load media '${label}'`);
  await loadAndCheckMedia(device, drive, id);
  if (!result.media.includes(label)) result.media.push(label);
}

async function readSnapshotFile(drive: OpenDrive, label: string, w: Wanted): Promise<SnapshotFile[]> {
  const where = `tape '${label}' file ${w.fileNumber}`;
  await drive.moveToFile(w.fileNumber);
  const file = await openNextFile(drive, where);
  if (!file?.header || contentKindOf(file.header.contentMagic) !== 'snapshot-archive') {
    await file?.reader.close();
    throw new AppError('CORRUPT_DATA', `${where}: expected the snapshot archive of ${w.path}`);
  }
  try {
    const header = file.header.data as { snapshot?: unknown; store?: unknown };
    if (header.snapshot !== w.path || header.store !== w.store) {
      throw new AppError(
        'CORRUPT_DATA',
        `${where}: holds ${String(header.store)}:${String(header.snapshot)}, not ${w.store}:${w.path}`,
      );
    }
    return await readSnapshotArchive(file.reader, where);
  } finally {
    await file.reader.close();
  }
}

async function restoreChunkArchive(
  drive: OpenDrive,
  label: string,
  fileNumber: number,
  needed: Map<string, Set<string>>,
  stores: Map<string, Datastore>,
): Promise<number> {
  const where = `tape '${label}' file ${fileNumber}`;
  await drive.moveToFile(fileNumber);
  const file = await openNextFile(drive, where);
  if (!file?.header || contentKindOf(file.header.contentMagic) !== 'chunk-archive') {
    await file?.reader.close();
    throw new AppError('CORRUPT_DATA', `${where}: expected a chunk archive`);
  }
  let count = 0;
  try {
    const store = (file.header.data as { store?: unknown }).store;
    const digests = typeof store === 'string' ? needed.get(store) : undefined;
    const ds = typeof store === 'string' ? stores.get(store) : undefined;
    if (!digests || !ds) return 0;
    for await (const { digest, blob } of readChunkArchive(file.reader, where)) {
      if (!digests.has(digest)) continue;
      const chunk = DataBlob.fromRaw(blob, `${where} chunk ${digest}`);
      if (!chunk.isEncrypted) chunk.decode({ digest: digest as Digest });
      await ds.chunkStore.insertChunk(digest as Digest, chunk);
      digests.delete(digest);
      count += 1;
    }
  } finally {
    await file.reader.close();
  }
  return count;
}

async function ensureNamespace(ds: Datastore, ns: string): Promise<void> {
  if (ns === '') return;
  const parts = ns.split('/');
  for (let i = 0; i < parts.length; i++) {
    const parent = parts.slice(0, i).join('/');
    try {
      await ds.createNamespace(parent, parts[i] as string);
    } catch (err) {
      if ((err as AppError).code !== 'ALREADY_EXISTS') throw err;
    }
  }
}
