/*
 * The media inventory (pbs-formats §12.4, PBS inventory.rs): `<state>/inventory.json`, a JSON
 * array of `{"id": {"label", "media_set_label"?}, "location"?, "status"?, "bytes_used"?}`, one
 * per medium, changed under the flock `.inventory.lck`: every mutation reloads, changes and
 * atomically replaces the file, so two tasks never lose each other's updates.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import {
  formatMediaLocation,
  parseMediaLocation,
  type MediaLocation,
  type MediaStatus,
  MEDIA_STATUSES,
} from '@pbs/api-types/domain';
import { replaceFileAtomic, withFileLock } from '@pbs/config';
import {
  isUnassignedSet,
  mediaLabelJson,
  mediaSetLabelJson,
  parseMediaLabel,
  parseMediaSetLabel,
  type MediaId,
} from '../format/labels.js';

export interface InventoryEntry {
  id: MediaId;
  location?: MediaLocation;
  status?: MediaStatus;
  bytes_used?: number;
}

export const INVENTORY_FILE = 'inventory.json';
export const INVENTORY_LOCK = '.inventory.lck';

function parseEntry(value: unknown, where: string): InventoryEntry {
  const o = value as Record<string, unknown> | null;
  const id = o?.id as Record<string, unknown> | undefined;
  if (!o || !id) throw new AppError('CORRUPT_DATA', `${where}: entry without id`);
  const entry: InventoryEntry = { id: { label: parseMediaLabel(id.label) } };
  if (id.media_set_label !== undefined && id.media_set_label !== null) {
    entry.id.media_set_label = parseMediaSetLabel(id.media_set_label);
  }
  if (typeof o.location === 'string') {
    const loc = parseMediaLocation(o.location);
    if (loc) entry.location = loc;
  }
  if (typeof o.status === 'string' && (MEDIA_STATUSES as readonly string[]).includes(o.status)) {
    entry.status = o.status as MediaStatus;
  }
  if (typeof o.bytes_used === 'number') entry.bytes_used = o.bytes_used;
  return entry;
}

function entryJson(e: InventoryEntry): Record<string, unknown> {
  return {
    id: {
      label: mediaLabelJson(e.id.label),
      ...(e.id.media_set_label ? { media_set_label: mediaSetLabelJson(e.id.media_set_label) } : {}),
    },
    ...(e.location ? { location: formatMediaLocation(e.location) } : {}),
    ...(e.status ? { status: e.status } : {}),
    ...(e.bytes_used !== undefined ? { bytes_used: e.bytes_used } : {}),
  };
}

/** the pool of a medium: from its media-set label, else from its label (PBS MediaId::pool) */
export function poolOf(id: MediaId): string | undefined {
  return id.media_set_label?.pool ?? id.label.pool;
}

export class Inventory {
  private map = new Map<string, InventoryEntry>();

  private constructor(readonly stateDir: string) {}

  static async load(stateDir: string): Promise<Inventory> {
    const inv = new Inventory(stateDir);
    await inv.reload();
    return inv;
  }

  private get file(): string {
    return path.join(this.stateDir, INVENTORY_FILE);
  }

  async reload(): Promise<void> {
    let raw: string;
    try {
      raw = await fsp.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        this.map = new Map();
        return;
      }
      throw err;
    }
    let list: unknown;
    try {
      list = JSON.parse(raw);
    } catch (err) {
      throw new AppError('CORRUPT_DATA', `tape inventory '${this.file}' is not JSON`, { cause: err });
    }
    if (!Array.isArray(list))
      throw new AppError('CORRUPT_DATA', `tape inventory '${this.file}' is not a list`);
    const map = new Map<string, InventoryEntry>();
    for (const item of list) {
      const e = parseEntry(item, `tape inventory '${this.file}'`);
      map.set(e.id.label.uuid, e);
    }
    this.map = map;
  }

  /** Locks, reloads, lets `fn` change the entries, writes them back. */
  async update<R>(fn: (map: Map<string, InventoryEntry>) => R): Promise<R> {
    await fsp.mkdir(this.stateDir, { recursive: true });
    return withFileLock(path.join(this.stateDir, INVENTORY_LOCK), { timeoutMs: 10_000 }, async () => {
      await this.reload();
      const result = fn(this.map);
      const list = [...this.map.values()].sort((a, b) => (a.id.label.uuid < b.id.label.uuid ? -1 : 1));
      await replaceFileAtomic(this.file, JSON.stringify(list.map(entryJson), null, 2));
      return result;
    });
  }

  entries(): InventoryEntry[] {
    return [...this.map.values()];
  }

  lookup(uuid: string): InventoryEntry | undefined {
    return this.map.get(uuid);
  }

  findByLabel(labelText: string): InventoryEntry | undefined {
    const found = this.entries().filter((e) => e.id.label.label_text === labelText);
    if (found.length > 1) {
      throw new AppError('INVALID_ARGUMENT', `there are ${found.length} tapes with the label '${labelText}'`);
    }
    return found[0];
  }

  /** Stores the labels of a medium; keeps location and bytes used, and an unsaved pool assignment. */
  async store(id: MediaId, clearStatus: boolean): Promise<void> {
    await this.update((map) => {
      const previous = map.get(id.label.uuid);
      const next: InventoryEntry = { id: { ...id } };
      if (previous) {
        if (
          !id.media_set_label &&
          previous.id.media_set_label &&
          isUnassignedSet(previous.id.media_set_label)
        ) {
          next.id.media_set_label = previous.id.media_set_label;
        }
        if (previous.location) next.location = previous.location;
        if (!clearStatus && previous.status) next.status = previous.status;
        if (previous.bytes_used !== undefined) next.bytes_used = previous.bytes_used;
      }
      map.set(id.label.uuid, next);
    });
  }

  async remove(uuid: string): Promise<void> {
    await this.update((map) => {
      map.delete(uuid);
    });
  }

  private async change(uuid: string, fn: (e: InventoryEntry) => void): Promise<void> {
    await this.update((map) => {
      const e = map.get(uuid);
      if (!e) throw new AppError('NOT_FOUND', `no such media '${uuid}'`);
      fn(e);
    });
  }

  async setStatus(uuid: string, status: MediaStatus | undefined): Promise<void> {
    await this.change(uuid, (e) => {
      if (status === undefined) delete e.status;
      else e.status = status;
    });
  }

  async setLocation(uuid: string, location: MediaLocation | undefined): Promise<void> {
    await this.change(uuid, (e) => {
      if (location === undefined) delete e.location;
      else e.location = location;
    });
  }

  async setBytesUsed(uuid: string, bytes: number | undefined): Promise<void> {
    await this.change(uuid, (e) => {
      if (bytes === undefined) delete e.bytes_used;
      else e.bytes_used = bytes;
    });
  }

  /**
   * PBS update_online_status for one changer: media it holds are `online-<changer>`; media that
   * were online there and are gone become offline.
   */
  async updateOnline(changer: string, onlineLabels: readonly string[]): Promise<void> {
    const online = new Set(onlineLabels);
    await this.update((map) => {
      for (const e of map.values()) {
        if (online.has(e.id.label.label_text)) {
          e.location = { kind: 'online', changer };
        } else if (e.location?.kind === 'online' && e.location.changer === changer) {
          e.location = { kind: 'offline' };
        }
      }
    });
  }

  statusAndLocation(uuid: string): { status: MediaStatus; location: MediaLocation } {
    const e = this.map.get(uuid);
    return { status: e?.status ?? 'unknown', location: e?.location ?? { kind: 'offline' } };
  }

  listPoolMedia(pool: string): MediaId[] {
    const list: MediaId[] = [];
    for (const e of this.map.values()) {
      if (poolOf(e.id) !== pool) continue;
      const set = e.id.media_set_label;
      list.push(set && isUnassignedSet(set) ? { label: e.id.label } : e.id);
    }
    return list;
  }

  /** media of no pool at all */
  listUnassignedMedia(): MediaId[] {
    return this.entries()
      .filter((e) => poolOf(e.id) === undefined)
      .map((e) => e.id);
  }

  /** media set UUID → its start time (ctime of the member with seq_nr 0, else the smallest) */
  mediaSetStartTime(setUuid: string): number | undefined {
    let best: { seq: number; ctime: number } | undefined;
    for (const e of this.map.values()) {
      const s = e.id.media_set_label;
      if (s?.uuid !== setUuid) continue;
      if (!best || s.seq_nr < best.seq) best = { seq: s.seq_nr, ctime: s.ctime };
    }
    return best?.ctime;
  }

  /** the members of a media set by sequence number (undefined where unknown) */
  mediaSetMembers(setUuid: string): (MediaId | undefined)[] {
    const members: (MediaId | undefined)[] = [];
    for (const e of this.map.values()) {
      const s = e.id.media_set_label;
      if (s?.uuid !== setUuid) continue;
      members[s.seq_nr] = e.id;
    }
    return Array.from({ length: members.length }, (_, i) => members[i]);
  }

  /** all media sets (not the unassigned one): uuid → pool */
  mediaSets(): Map<string, string> {
    const sets = new Map<string, string>();
    for (const e of this.map.values()) {
      const s = e.id.media_set_label;
      if (s && !isUnassignedSet(s)) sets.set(s.uuid, s.pool);
    }
    return sets;
  }

  /** the newest media set of a pool (by ctime) */
  latestMediaSet(pool: string): string | undefined {
    let last: { uuid: string; ctime: number } | undefined;
    for (const e of this.map.values()) {
      const s = e.id.media_set_label;
      if (!s || s.pool !== pool || isUnassignedSet(s)) continue;
      const start = this.mediaSetStartTime(s.uuid) ?? s.ctime;
      if (!last || start > last.ctime) last = { uuid: s.uuid, ctime: start };
    }
    return last?.uuid;
  }

  /** the ctime of the nearest newer media set of the same pool */
  mediaSetNextStartTime(setUuid: string): number | undefined {
    const pool = this.mediaSets().get(setUuid);
    const start = this.mediaSetStartTime(setUuid);
    if (pool === undefined || start === undefined) return undefined;
    let next: number | undefined;
    for (const [uuid, p] of this.mediaSets()) {
      if (uuid === setUuid || p !== pool) continue;
      const t = this.mediaSetStartTime(uuid);
      if (t !== undefined && t > start && (next === undefined || t < next)) next = t;
    }
    return next;
  }
}
