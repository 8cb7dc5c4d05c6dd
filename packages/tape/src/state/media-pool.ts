/*
 * A media pool at work (PBS media_pool.rs): the pool's current media set is its newest one in
 * the inventory; a write session keeps it or starts a new one (forced, unusable current set,
 * allocation 'always', or the allocation event passed since the set started); a writable
 * medium is the set's last member if still writable, else an empty medium of the pool, else an
 * expired one (retention), else a free medium of no pool — in that order, each sorted by ctime
 * and label. Media are usable only where the drive can reach them: online in the pool's
 * changer, or offline for a standalone drive.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '@pbs/api-types/errors';
import type { MediaLocation, MediaStatus } from '@pbs/api-types/domain';
import { isUnassignedSet, type MediaId } from '../format/labels.js';
import { poolOf, type Inventory } from './inventory.js';
import {
  mediaSetExpireTime,
  nextAllocation,
  parseAllocationPolicy,
  parseRetentionPolicy,
  type AllocationPolicy,
  type RetentionPolicy,
} from './pool-policy.js';

export interface MediaPoolOptions {
  name: string;
  allocation?: string;
  retention?: string;
  encrypt?: string;
  inventory: Inventory;
  /** the changer the drive sits in; undefined: a standalone drive (offline media usable) */
  changer?: string;
  /** treat every location but vaults as reachable (tests, operator override) */
  forceMediaAvailability?: boolean;
}

export interface PoolMedia {
  id: MediaId;
  status: MediaStatus;
  location: MediaLocation;
  expired: boolean;
  /** epoch seconds; Infinity when it never expires */
  expireTime: number;
}

export class MediaPool {
  readonly name: string;
  readonly allocation: AllocationPolicy;
  readonly retention: RetentionPolicy;
  readonly encrypt: string | undefined;
  private readonly inventory: Inventory;
  private currentSet: { uuid: string; members: (string | undefined)[] };

  constructor(private readonly opts: MediaPoolOptions) {
    this.name = opts.name;
    this.allocation = parseAllocationPolicy(opts.allocation);
    this.retention = parseRetentionPolicy(opts.retention);
    this.encrypt = opts.encrypt;
    this.inventory = opts.inventory;
    this.currentSet = this.loadCurrentSet();
  }

  private loadCurrentSet(): { uuid: string; members: (string | undefined)[] } {
    const uuid = this.inventory.latestMediaSet(this.name);
    if (uuid === undefined) return { uuid: randomUUID(), members: [] };
    return { uuid, members: this.inventory.mediaSetMembers(uuid).map((m) => m?.label.uuid) };
  }

  get currentMediaSet(): string {
    return this.currentSet.uuid;
  }

  currentMediaList(): string[] {
    return this.currentSet.members.map((m, i) => {
      if (m === undefined)
        throw new AppError(
          'CORRUPT_DATA',
          `media set ${this.currentSet.uuid} is incomplete (no member ${i})`,
        );
      return m;
    });
  }

  locationAvailable(location: MediaLocation): boolean {
    if (location.kind === 'vault') return false;
    if (this.opts.forceMediaAvailability) return true;
    if (location.kind === 'online') return location.changer === this.opts.changer;
    return this.opts.changer === undefined;
  }

  computeMediaState(id: MediaId): { status: MediaStatus; location: MediaLocation } {
    const { status, location } = this.inventory.statusAndLocation(id.label.uuid);
    if (status === 'full' || status === 'damaged' || status === 'retired') return { status, location };
    const set = id.media_set_label;
    if (!set) return { status: 'writable', location };
    if (set.pool !== this.name) return { status: 'unknown', location };
    if (isUnassignedSet(set)) return { status: 'writable', location };
    if (set.uuid !== this.currentSet.uuid) return { status: 'full', location };
    const last = this.currentSet.members[this.currentSet.members.length - 1];
    return { status: last === id.label.uuid ? 'writable' : 'full', location };
  }

  expireTime(id: MediaId): number {
    const set = id.media_set_label;
    if (!set || isUnassignedSet(set)) return Infinity;
    return mediaSetExpireTime({
      allocation: this.allocation,
      retention: this.retention,
      setStart: this.inventory.mediaSetStartTime(set.uuid) ?? set.ctime,
      nextSetStart: this.inventory.mediaSetNextStartTime(set.uuid),
    });
  }

  isExpired(id: MediaId, status: MediaStatus, now: number): boolean {
    return status === 'full' && now >= this.expireTime(id);
  }

  listMedia(now: number): PoolMedia[] {
    return this.inventory.listPoolMedia(this.name).map((id) => {
      const { status, location } = this.computeMediaState(id);
      const expireTime = this.expireTime(id);
      return { id, status, location, expireTime, expired: status === 'full' && now >= expireTime };
    });
  }

  /** true when the set's last medium can take more data; throws when the set cannot be used */
  currentSetUsable(): boolean {
    const members = this.currentSet.members;
    if (members.length === 0) return false;
    let lastWritable = false;
    members.forEach((uuid, seq) => {
      if (uuid === undefined)
        throw new AppError('CORRUPT_DATA', 'media set is incomplete (missing media information)');
      const id = this.inventory.lookup(uuid)?.id;
      if (!id) throw new AppError('NOT_FOUND', `unable to lookup media ${uuid}`);
      const set = id.media_set_label;
      if (set?.uuid !== this.currentSet.uuid || set.seq_nr !== seq) {
        throw new AppError('CORRUPT_DATA', `media sequence error in set ${this.currentSet.uuid}`);
      }
      if (set.encryption_key_fingerprint !== this.encrypt) {
        throw new AppError('INVALID_ARGUMENT', 'pool encryption key changed');
      }
      const { status, location } = this.computeMediaState(id);
      if (status === 'full') return;
      if (status === 'writable' && seq === members.length - 1) {
        if (this.locationAvailable(location)) lastWritable = true;
        else if (location.kind === 'vault') {
          throw new AppError('INVALID_ARGUMENT', `writable media offsite in vault '${location.vault}'`);
        }
        return;
      }
      throw new AppError('INVALID_ARGUMENT', `unable to use media set - wrong media status ${status}`);
    });
    return lastWritable;
  }

  /** Decides whether this session starts a new media set; returns the reason, or null. */
  async startWriteSession(now: number, force: boolean): Promise<string | null> {
    await this.inventory.reload();
    this.currentSet = this.loadCurrentSet();
    let reason: string | null = force ? 'forced' : null;
    if (reason === null) {
      try {
        this.currentSetUsable();
        if (this.currentSet.members.length === 0) reason = 'no current media set';
      } catch (err) {
        reason = (err as Error).message;
      }
    }
    if (reason === null) {
      if (this.allocation.kind === 'always') reason = 'policy is AlwaysCreate';
      else if (this.allocation.kind === 'calendar') {
        const start = this.inventory.mediaSetStartTime(this.currentSet.uuid);
        const at = start === undefined ? null : nextAllocation(this.allocation, start);
        if (at !== null && now >= at) reason = 'policy CreateAt event triggered';
      }
    }
    if (reason !== null) this.currentSet = { uuid: randomUUID(), members: [] };
    return reason;
  }

  private sortByCtimeLabel(list: MediaId[], ctime: (m: MediaId) => number): MediaId[] {
    return list.sort((a, b) => ctime(a) - ctime(b) || a.label.label_text.localeCompare(b.label.label_text));
  }

  /** the medium the next write goes to, without changing anything (PBS guess_next_writable_media) */
  guessNextWritableMedia(now: number): MediaId | undefined {
    try {
      if (this.currentSetUsable()) {
        const last = this.currentSet.members[this.currentSet.members.length - 1];
        return last === undefined ? undefined : this.inventory.lookup(last)?.id;
      }
    } catch {
      /* a new set will be started */
    }
    return this.candidates(now)[0];
  }

  private candidates(now: number): MediaId[] {
    const media = this.listMedia(now).filter((m) => this.locationAvailable(m.location));
    const empty = media.filter((m) => !m.id.media_set_label && m.status === 'writable').map((m) => m.id);
    const expired = media
      .filter((m) => m.id.media_set_label && m.id.media_set_label.uuid !== this.currentSet.uuid && m.expired)
      .map((m) => m.id);
    const free = this.inventory.listUnassignedMedia().filter((id) => {
      if (id.media_set_label) return false;
      const { status, location } = this.computeMediaState(id);
      return status === 'writable' && this.locationAvailable(location);
    });
    return [
      ...this.sortByCtimeLabel(empty, (m) => m.label.ctime),
      ...this.sortByCtimeLabel(expired, (m) => m.media_set_label?.ctime ?? 0),
      ...this.sortByCtimeLabel(free, (m) => m.label.ctime),
    ];
  }

  /**
   * The medium to write to now: the set's last member while writable, else the next candidate,
   * which joins the current set (its media-set label is stored in the inventory at once, with
   * its status cleared).
   */
  async allocWritableMedia(
    now: number,
    exclude: ReadonlySet<string> = new Set(),
  ): Promise<{ id: MediaId; added: boolean }> {
    if (this.currentSetUsable()) {
      const last = this.currentSet.members[this.currentSet.members.length - 1];
      const id = last === undefined ? undefined : this.inventory.lookup(last)?.id;
      if (id && !exclude.has(id.label.uuid)) return { id, added: false };
    }
    await this.inventory.reload();
    const next = this.candidates(now).find((m) => !exclude.has(m.label.uuid));
    if (!next) {
      throw new AppError(
        'NOT_FOUND',
        `alloc writable media in pool '${this.name}' failed: no usable media found`,
      );
    }
    const id: MediaId = {
      label: next.label,
      media_set_label: {
        pool: this.name,
        uuid: this.currentSet.uuid,
        seq_nr: this.currentSet.members.length,
        ctime: now,
        ...(this.encrypt !== undefined ? { encryption_key_fingerprint: this.encrypt } : {}),
      },
    };
    await this.inventory.store(id, true);
    this.currentSet.members.push(id.label.uuid);
    return { id, added: true };
  }

  /** marks a medium full (it belongs to this pool) */
  async setMediaFull(uuid: string): Promise<void> {
    const e = this.inventory.lookup(uuid);
    if (!e || poolOf(e.id) !== this.name)
      throw new AppError('NOT_FOUND', `media ${uuid} is not in pool '${this.name}'`);
    await this.inventory.setStatus(uuid, 'full');
  }
}
