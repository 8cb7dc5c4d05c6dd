/*
 * Operations on media (PBS api2/tape/drive.rs and media.rs): label, read label, update
 * inventory, format, eject, content listing, media sets, move to vault/offline, destroy.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '@pbs/api-types/errors';
import { UNASSIGNED_MEDIA_SET_UUID, formatMediaLocation, type MediaStatus } from '@pbs/api-types/domain';
import { parseSnapshotPath } from '@pbs/datastore';
import { isUnassignedSet, type MediaId, type MediaLabel } from '../format/labels.js';
import { poolOf, type Inventory } from '../state/inventory.js';
import { MediaCatalog } from '../state/media-catalog.js';
import { MediaPool } from '../state/media-pool.js';
import type { TapeContext, TapeDevice } from './context.js';
import { readMediaId, writeMediaLabel, writeMediaSetLabel } from './media-io.js';

export interface MediaEnv {
  device: TapeDevice;
  inventory: Inventory;
  stateDir: string;
}

/**
 * Labels a medium: refuses a label text the inventory knows and a tape that carries a label;
 * writes the media label (with the pool) and, for a pool, the unassigned media-set label. A
 * virtual library without a cartridge of that barcode gets a new blank one first.
 */
export async function labelMedia(
  ctx: TapeContext,
  env: MediaEnv,
  opts: { labelText: string; pool?: string; loadFromChanger?: boolean },
): Promise<MediaId> {
  const { device, inventory } = env;
  await inventory.reload();
  if (inventory.findByLabel(opts.labelText)) {
    throw new AppError(
      'ALREADY_EXISTS',
      `media with label '${opts.labelText}' already exists in the inventory`,
    );
  }
  if (opts.loadFromChanger !== false) {
    const status = await device.changer.status();
    const known = [...status.drives, ...status.slots].some((e) => e.label === opts.labelText);
    if (!known && device.insertBlankTape) {
      ctx.log(`inserting a new blank tape '${opts.labelText}' into the virtual library`);
      await device.insertBlankTape(opts.labelText);
    }
    await device.changer.loadMedia(opts.labelText, device.drivenum);
  }
  const drive = await device.openDrive();
  try {
    const loaded = (await drive.status()).loaded;
    if (loaded === null) throw new AppError('INVALID_ARGUMENT', `drive '${device.driveName}' is empty`);
    const existing = await readMediaId(drive, `tape in drive '${device.driveName}'`).catch((err: unknown) => {
      if ((err as AppError).code === 'INVALID_ARGUMENT') return 'foreign' as const;
      throw err;
    });
    if (existing !== null) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `media in drive '${device.driveName}' is not empty (format it first)`,
      );
    }
    const label: MediaLabel = {
      uuid: randomUUID(),
      label_text: opts.labelText,
      ctime: ctx.nowSec(),
      ...(opts.pool !== undefined ? { pool: opts.pool } : {}),
    };
    ctx.log(`label media '${opts.labelText}'${opts.pool !== undefined ? ` for pool '${opts.pool}'` : ''}`);
    await writeMediaLabel(drive, label);
    const id: MediaId = { label };
    if (opts.pool !== undefined) {
      id.media_set_label = {
        pool: opts.pool,
        uuid: UNASSIGNED_MEDIA_SET_UUID,
        seq_nr: 0,
        ctime: label.ctime,
      };
      await writeMediaSetLabel(drive, id.media_set_label);
    }
    const check = await readMediaId(drive, `tape '${opts.labelText}'`);
    if (check?.label.uuid !== label.uuid)
      throw new AppError('INTERNAL', `reading back the label of '${opts.labelText}' failed`);
    const catalog = new MediaCatalog(`'${opts.labelText}'`);
    catalog.registerLabel(label.uuid, 0, 0);
    await catalog.save(env.stateDir);
    await inventory.store(id, false);
    await inventory.updateOnline(device.changerName, await device.changer.onlineMedia());
    return id;
  } finally {
    drive.close();
  }
}

/** Labels every unlabeled cartridge of the changer with its barcode (PBS barcode-label-media). */
export async function barcodeLabelMedia(
  ctx: TapeContext,
  env: MediaEnv,
  opts: { pool?: string },
): Promise<string[]> {
  const labeled: string[] = [];
  await env.inventory.reload();
  for (const label of await env.device.changer.onlineMedia()) {
    if (env.inventory.findByLabel(label)) continue;
    await env.device.changer.loadMedia(label, env.device.drivenum);
    const drive = await env.device.openDrive();
    let empty: boolean;
    try {
      empty = (await readMediaId(drive, `tape '${label}'`).catch(() => 'foreign')) === null;
    } finally {
      drive.close();
    }
    if (!empty) {
      ctx.log(`media '${label}' is not empty - skipped`);
      continue;
    }
    await labelMedia(ctx, env, { labelText: label, pool: opts.pool, loadFromChanger: false });
    labeled.push(label);
  }
  return labeled;
}

/** The labels on the tape in the drive (loads `labelText` first when given). */
export async function readLabel(
  env: MediaEnv,
  opts: { labelText?: string; updateInventory?: boolean },
): Promise<MediaId | null> {
  if (opts.labelText !== undefined) await env.device.changer.loadMedia(opts.labelText, env.device.drivenum);
  const drive = await env.device.openDrive();
  try {
    const id = await readMediaId(drive, `tape in drive '${env.device.driveName}'`);
    if (id && opts.updateInventory) await env.inventory.store(id, false);
    return id;
  } finally {
    drive.close();
  }
}

/**
 * PBS update inventory: reads the labels of the changer's cartridges (only the unknown ones
 * unless `readAllLabels`), stores them, and refreshes the online locations.
 */
export async function updateInventory(
  ctx: TapeContext,
  env: MediaEnv,
  opts: { readAllLabels?: boolean; catalog?: boolean } = {},
): Promise<{ labelText: string; uuid?: string }[]> {
  const { device, inventory } = env;
  const online = await device.changer.onlineMedia();
  await inventory.updateOnline(device.changerName, online);
  const out: { labelText: string; uuid?: string }[] = [];
  for (const label of online) {
    ctx.signal.throwIfAborted();
    const known = inventory.findByLabel(label);
    if (known && !opts.readAllLabels) {
      out.push({ labelText: label, uuid: known.id.label.uuid });
      continue;
    }
    await device.changer.loadMedia(label, device.drivenum);
    const drive = await device.openDrive();
    try {
      const id = await readMediaId(drive, `tape '${label}'`).catch((err: unknown) => {
        ctx.warn(`unable to read the label of '${label}': ${(err as Error).message}`);
        return null;
      });
      if (!id) {
        ctx.log(`media '${label}' is empty`);
        out.push({ labelText: label });
        continue;
      }
      if (id.label.label_text !== label)
        ctx.warn(`label text mismatch: barcode '${label}', tape label '${id.label.label_text}'`);
      await inventory.store(id, false);
      ctx.log(`inventory: '${label}' = ${id.label.uuid}`);
      out.push({ labelText: label, uuid: id.label.uuid });
    } finally {
      drive.close();
    }
    if (opts.catalog && !(await MediaCatalog.exists(env.stateDir, out[out.length - 1]?.uuid ?? ''))) {
      ctx.log(`media '${label}': catalog missing - restore it from tape (catalog operation)`);
    }
  }
  await inventory.updateOnline(device.changerName, online);
  return out;
}

/** Erases a tape; a medium the inventory knows leaves the inventory with its catalog. */
export async function formatMedia(
  ctx: TapeContext,
  env: MediaEnv,
  opts: { labelText?: string },
): Promise<void> {
  const { device, inventory } = env;
  if (opts.labelText !== undefined) await device.changer.loadMedia(opts.labelText, device.drivenum);
  const drive = await device.openDrive();
  try {
    const loaded = (await drive.status()).loaded;
    if (loaded === null) throw new AppError('INVALID_ARGUMENT', `drive '${device.driveName}' is empty`);
    if (opts.labelText !== undefined && loaded !== opts.labelText) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `wrong media in drive '${device.driveName}': expected '${opts.labelText}', found '${loaded}'`,
      );
    }
    const id = await readMediaId(drive, `tape '${loaded}'`).catch(() => null);
    await drive.format();
    ctx.log(`formatted media '${loaded}'`);
    if (id) {
      await inventory.remove(id.label.uuid);
      await MediaCatalog.remove(env.stateDir, id.label.uuid);
      ctx.log(`removed media '${id.label.label_text}' (${id.label.uuid}) from the inventory`);
    }
  } finally {
    drive.close();
  }
}

export async function ejectMedia(env: MediaEnv): Promise<void> {
  await env.device.changer.unload(env.device.drivenum);
  await env.inventory.updateOnline(env.device.changerName, await env.device.changer.onlineMedia());
}

function findMedia(inventory: Inventory, ref: { labelText?: string; uuid?: string }): MediaId {
  const entry =
    ref.uuid !== undefined ? inventory.lookup(ref.uuid) : inventory.findByLabel(ref.labelText ?? '');
  if (!entry) throw new AppError('NOT_FOUND', `no such media '${ref.uuid ?? ref.labelText ?? ''}'`);
  return entry.id;
}

/** PBS media/move: to a vault (vault-<name>) or offline */
export async function moveMedia(
  inventory: Inventory,
  ref: { labelText?: string; uuid?: string; vaultName?: string },
): Promise<void> {
  await inventory.reload();
  const id = findMedia(inventory, ref);
  await inventory.setLocation(
    id.label.uuid,
    ref.vaultName !== undefined ? { kind: 'vault', vault: ref.vaultName } : { kind: 'offline' },
  );
}

/** PBS media/destroy: forget a medium; one with data only with `force` */
export async function destroyMedia(
  env: { inventory: Inventory; stateDir: string },
  ref: { labelText?: string; uuid?: string; force?: boolean },
): Promise<void> {
  await env.inventory.reload();
  const id = findMedia(env.inventory, ref);
  const set = id.media_set_label;
  if (!ref.force && set && !isUnassignedSet(set)) {
    throw new AppError(
      'INVALID_ARGUMENT',
      `media '${id.label.label_text}' contains data (use force to remove it)`,
    );
  }
  await env.inventory.remove(id.label.uuid);
  await MediaCatalog.remove(env.stateDir, id.label.uuid);
}

export async function setMediaStatus(
  inventory: Inventory,
  uuid: string,
  status: MediaStatus | undefined,
): Promise<void> {
  await inventory.reload();
  if (!inventory.lookup(uuid)) throw new AppError('NOT_FOUND', `no such media '${uuid}'`);
  await inventory.setStatus(uuid, status);
}

export interface PoolPolicies {
  name: string;
  allocation?: string;
  retention?: string;
  encrypt?: string;
  template?: string;
}

export interface MediaListItem {
  labelText: string;
  uuid: string;
  ctime: number;
  location: string;
  status: MediaStatus;
  expired: boolean;
  catalog: boolean;
  mediaSetName?: string;
  mediaSetUuid?: string;
  seqNr?: number;
  mediaSetCtime?: number;
  pool?: string;
  bytesUsed?: number;
  expireTime?: number;
}

/** a media set name from the pool template (strftime subset and %id%; default '%c') */
export function mediaSetName(template: string | undefined, uuid: string, ctime: number | undefined): string {
  if (ctime === undefined) return uuid;
  const d = new Date(ctime * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const map: Record<string, string> = {
    Y: String(d.getFullYear()),
    m: p(d.getMonth() + 1),
    d: p(d.getDate()),
    H: p(d.getHours()),
    M: p(d.getMinutes()),
    S: p(d.getSeconds()),
    a: days[d.getDay()] ?? '',
    b: months[d.getMonth()] ?? '',
    s: String(ctime),
    '%': '%',
  };
  map.F = `${map.Y}-${map.m}-${map.d}`;
  map.T = `${map.H}:${map.M}:${map.S}`;
  map.c = `${map.a} ${map.b} ${String(d.getDate()).padStart(2, ' ')} ${map.T} ${map.Y}`;
  return (template ?? '%c').replace('%id%', uuid).replace(/%([A-Za-z%])/g, (m, c: string) => map[c] ?? m);
}

/** PBS media/list: every medium, with the state its pool computes */
export async function listMedia(
  inventory: Inventory,
  stateDir: string,
  pools: readonly PoolPolicies[],
  opts: { pool?: string; now: number; changers?: ReadonlyMap<string, string> },
): Promise<MediaListItem[]> {
  await inventory.reload();
  const out: MediaListItem[] = [];
  const poolObjs = new Map(
    pools.map((p) => [p.name, new MediaPool({ ...p, inventory, forceMediaAvailability: true })]),
  );
  for (const e of inventory.entries()) {
    const pool = poolOf(e.id);
    if (opts.pool !== undefined && pool !== opts.pool) continue;
    const poolObj = pool !== undefined ? poolObjs.get(pool) : undefined;
    const state = poolObj ? poolObj.computeMediaState(e.id) : inventory.statusAndLocation(e.id.label.uuid);
    const status = pool === undefined && state.status === 'unknown' ? 'writable' : state.status;
    const expireTime = poolObj ? poolObj.expireTime(e.id) : Infinity;
    const set =
      e.id.media_set_label && !isUnassignedSet(e.id.media_set_label) ? e.id.media_set_label : undefined;
    const setStart = set ? inventory.mediaSetStartTime(set.uuid) : undefined;
    const template = pools.find((p) => p.name === pool)?.template;
    out.push({
      labelText: e.id.label.label_text,
      uuid: e.id.label.uuid,
      ctime: e.id.label.ctime,
      location: formatMediaLocation(state.location),
      status,
      expired: status === 'full' && opts.now >= expireTime,
      catalog: await MediaCatalog.exists(stateDir, e.id.label.uuid),
      ...(set
        ? {
            mediaSetUuid: set.uuid,
            seqNr: set.seq_nr,
            mediaSetCtime: setStart ?? set.ctime,
            mediaSetName: mediaSetName(template, set.uuid, setStart),
          }
        : {}),
      ...(pool !== undefined ? { pool } : {}),
      ...(e.bytes_used !== undefined ? { bytesUsed: e.bytes_used } : {}),
      ...(Number.isFinite(expireTime) ? { expireTime } : {}),
    });
  }
  return out.sort((a, b) => a.labelText.localeCompare(b.labelText));
}

export interface MediaSetItem {
  mediaSetName: string;
  mediaSetUuid: string;
  mediaSetCtime: number;
  pool: string;
  media: (string | null)[];
}

export async function listMediaSets(
  inventory: Inventory,
  pools: readonly PoolPolicies[],
): Promise<MediaSetItem[]> {
  await inventory.reload();
  const out: MediaSetItem[] = [];
  for (const [uuid, pool] of inventory.mediaSets()) {
    const ctime = inventory.mediaSetStartTime(uuid) ?? 0;
    out.push({
      mediaSetUuid: uuid,
      pool,
      mediaSetCtime: ctime,
      mediaSetName: mediaSetName(pools.find((p) => p.name === pool)?.template, uuid, ctime),
      media: inventory.mediaSetMembers(uuid).map((m) => m?.label.label_text ?? null),
    });
  }
  return out.sort((a, b) => a.mediaSetCtime - b.mediaSetCtime);
}

export interface ContentItem {
  labelText: string;
  uuid: string;
  mediaSetName: string;
  mediaSetUuid: string;
  mediaSetCtime: number;
  seqNr: number;
  pool: string;
  store: string;
  snapshot: string;
  backupTime: number;
}

/** PBS media/content: the snapshot archives the catalogs record */
export async function listContent(
  inventory: Inventory,
  stateDir: string,
  pools: readonly PoolPolicies[],
  filter: {
    pool?: string;
    labelText?: string;
    media?: string;
    mediaSet?: string;
    backupType?: string;
    backupId?: string;
  },
): Promise<ContentItem[]> {
  await inventory.reload();
  const out: ContentItem[] = [];
  for (const e of inventory.entries()) {
    const set = e.id.media_set_label;
    if (!set || isUnassignedSet(set)) continue;
    if (filter.pool !== undefined && set.pool !== filter.pool) continue;
    if (filter.labelText !== undefined && e.id.label.label_text !== filter.labelText) continue;
    if (filter.media !== undefined && e.id.label.uuid !== filter.media) continue;
    if (filter.mediaSet !== undefined && set.uuid !== filter.mediaSet) continue;
    const catalog = await MediaCatalog.load(stateDir, e.id.label.uuid).catch(() => null);
    if (!catalog) continue;
    const ctime = inventory.mediaSetStartTime(set.uuid) ?? set.ctime;
    for (const s of catalog.snapshots()) {
      const { snapshot } = parseSnapshotPath(s.snapshot);
      if (filter.backupType !== undefined && snapshot.type !== filter.backupType) continue;
      if (filter.backupId !== undefined && snapshot.id !== filter.backupId) continue;
      out.push({
        labelText: e.id.label.label_text,
        uuid: e.id.label.uuid,
        mediaSetName: mediaSetName(pools.find((p) => p.name === set.pool)?.template, set.uuid, ctime),
        mediaSetUuid: set.uuid,
        mediaSetCtime: ctime,
        seqNr: set.seq_nr,
        pool: set.pool,
        store: s.store,
        snapshot: s.snapshot,
        backupTime: snapshot.time,
      });
    }
  }
  return out;
}
