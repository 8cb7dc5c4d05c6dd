/*
 * A virtual tape library in one directory (extension of PBS's virtual drive, which is its own
 * changer with no mail slots): the tapes are the PBS virtual tapes of §12.3, drive n keeps its
 * state in `drive-status[-n].json`, and `changer-status.json` records which slot holds which
 * cartridge ({"slots": {"<slot>": "<label>"}, "loaded_from": {"<drive>": <slot>}}).
 *
 * Slots are numbered from 1; `exportSlots` of them are import/export (mail) slots whose
 * cartridges count as offline. With `slots` unset the library behaves like PBS's virtual
 * drive: as many slots as tapes, rounded up to a multiple of 8. A cartridge found nowhere (a
 * new tape file, or one ejected from a drive) goes back to the slot it was loaded from, else to
 * the first free storage slot, else to a free mail slot.
 */
import path from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import { withFileLock } from '@pbs/config';
import type { Changer, ChangerElement, ChangerStatus } from './port.js';
import { listVirtualTapes, readCurrentTape, storeCurrentTape, writeJson } from './virtual-tape.js';
import fsp from 'node:fs/promises';

export interface VirtualChangerOptions {
  name: string;
  dir: string;
  /** storage plus import/export slots; undefined: grows with the tapes (PBS virtual drive) */
  slots?: number;
  exportSlots?: number[];
  /** number of drives (default 1) */
  drives?: number;
}

interface ChangerState {
  slots: Record<string, string>;
  loaded_from: Record<string, number>;
}

export class VirtualChanger implements Changer {
  readonly name: string;
  readonly dir: string;
  private readonly exportSlots: Set<number>;
  private readonly driveCount: number;

  constructor(private readonly opts: VirtualChangerOptions) {
    this.name = opts.name;
    this.dir = opts.dir;
    this.exportSlots = new Set(opts.exportSlots ?? []);
    this.driveCount = opts.drives ?? 1;
  }

  private get statePath(): string {
    return path.join(this.dir, 'changer-status.json');
  }

  private async locked<R>(fn: () => Promise<R>): Promise<R> {
    await fsp.mkdir(this.dir, { recursive: true });
    return withFileLock(path.join(this.dir, '.changer.lck'), { timeoutMs: 10_000 }, fn);
  }

  private async readState(): Promise<ChangerState> {
    try {
      const raw = JSON.parse(await fsp.readFile(this.statePath, 'utf8')) as Partial<ChangerState>;
      return { slots: raw.slots ?? {}, loaded_from: raw.loaded_from ?? {} };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { slots: {}, loaded_from: {} };
      throw new AppError('CORRUPT_DATA', `changer '${this.name}': unreadable changer-status.json`, {
        cause: err,
      });
    }
  }

  private slotCount(tapes: number): number {
    return this.opts.slots ?? Math.max(8, Math.ceil(tapes / 8) * 8);
  }

  private checkSlot(slot: number, count: number): void {
    if (!Number.isInteger(slot) || slot < 1 || slot > count) {
      throw new AppError('INVALID_ARGUMENT', `changer '${this.name}': no slot ${slot} (1..${count})`);
    }
  }

  private checkDrive(drivenum: number): void {
    if (!Number.isInteger(drivenum) || drivenum < 0 || drivenum >= this.driveCount) {
      throw new AppError('INVALID_ARGUMENT', `changer '${this.name}': no drive ${drivenum}`);
    }
  }

  /** Reconciles the recorded state with the tapes and drives; returns it with the slot count. */
  private async reconcile(): Promise<{ state: ChangerState; count: number; inDrive: (string | null)[] }> {
    const tapes = await listVirtualTapes(this.dir);
    const count = this.slotCount(tapes.length);
    const state = await this.readState();
    const inDrive: (string | null)[] = [];
    for (let n = 0; n < this.driveCount; n++)
      inDrive.push((await readCurrentTape(this.dir, n))?.name ?? null);
    const existing = new Set(tapes);
    const placed = new Set<string>();
    for (const [slot, label] of Object.entries(state.slots)) {
      const n = Number(slot);
      if (!existing.has(label) || inDrive.includes(label) || placed.has(label) || n > count) {
        delete state.slots[slot];
      } else {
        placed.add(label);
      }
    }
    const free = (mail: boolean) => {
      for (let s = 1; s <= count; s++) {
        if (this.exportSlots.has(s) === mail && state.slots[String(s)] === undefined) return s;
      }
      return undefined;
    };
    for (const label of tapes) {
      if (placed.has(label) || inDrive.includes(label)) continue;
      const from = Object.entries(state.loaded_from).find(([d]) => inDrive[Number(d)] === null)?.[1];
      const slot =
        from !== undefined && state.slots[String(from)] === undefined ? from : (free(false) ?? free(true));
      if (slot === undefined) continue; // the library is full: the cartridge stays outside
      state.slots[String(slot)] = label;
      placed.add(label);
    }
    for (const d of Object.keys(state.loaded_from)) {
      if (inDrive[Number(d)] === null) delete state.loaded_from[d];
    }
    return { state, count, inDrive };
  }

  private async save(state: ChangerState): Promise<void> {
    await writeJson(this.statePath, state);
  }

  async status(): Promise<ChangerStatus> {
    return this.locked(async () => {
      const { state, count, inDrive } = await this.reconcile();
      await this.save(state);
      const drives: ChangerElement[] = inDrive.map((label, id) => ({
        kind: 'drive',
        id,
        ...(label !== null ? { label } : {}),
        ...(label !== null && state.loaded_from[String(id)] !== undefined
          ? { loadedSlot: state.loaded_from[String(id)] }
          : {}),
      }));
      const slots: ChangerElement[] = [];
      for (let s = 1; s <= count; s++) {
        const label = state.slots[String(s)];
        slots.push({
          kind: this.exportSlots.has(s) ? 'import-export' : 'slot',
          id: s,
          ...(label !== undefined ? { label } : {}),
        });
      }
      return { drives, slots };
    });
  }

  async loadSlot(slot: number, drivenum: number): Promise<void> {
    this.checkDrive(drivenum);
    await this.locked(async () => {
      const { state, count, inDrive } = await this.reconcile();
      this.checkSlot(slot, count);
      const label = state.slots[String(slot)];
      if (label === undefined)
        throw new AppError('INVALID_ARGUMENT', `changer '${this.name}': slot ${slot} is empty`);
      const current = inDrive[drivenum];
      if (current === label) return;
      if (current !== null && current !== undefined) {
        throw new AppError(
          'BUSY',
          `changer '${this.name}': drive ${drivenum} holds '${current}' - unload it first`,
        );
      }
      delete state.slots[String(slot)];
      state.loaded_from[String(drivenum)] = slot;
      await storeCurrentTape(this.dir, drivenum, { name: label, pos: 0 });
      await this.save(state);
    });
  }

  async loadMedia(label: string, drivenum: number): Promise<void> {
    const status = await this.status();
    if (status.drives[drivenum]?.label === label) return;
    const slot = status.slots.find((s) => s.label === label);
    if (!slot) {
      const other = status.drives.find((d) => d.label === label);
      throw new AppError(
        'NOT_FOUND',
        other
          ? `changer '${this.name}': media '${label}' is in drive ${other.id}`
          : `changer '${this.name}': media '${label}' is not in the library`,
      );
    }
    if (slot.kind === 'import-export') {
      throw new AppError(
        'INVALID_ARGUMENT',
        `changer '${this.name}': media '${label}' is in import/export slot ${slot.id} - import it first`,
      );
    }
    const loaded = status.drives[drivenum]?.label;
    if (loaded !== undefined) await this.unload(drivenum);
    await this.loadSlot(slot.id, drivenum);
  }

  async unload(drivenum: number, targetSlot?: number): Promise<void> {
    this.checkDrive(drivenum);
    await this.locked(async () => {
      const { state, count, inDrive } = await this.reconcile();
      const label = inDrive[drivenum];
      if (label === null || label === undefined) return;
      let slot = targetSlot ?? state.loaded_from[String(drivenum)];
      if (slot !== undefined) this.checkSlot(slot, count);
      if (slot === undefined || state.slots[String(slot)] !== undefined) {
        if (targetSlot !== undefined) {
          throw new AppError('INVALID_ARGUMENT', `changer '${this.name}': slot ${targetSlot} is not empty`);
        }
        slot = undefined;
        for (let s = 1; s <= count && slot === undefined; s++) {
          if (!this.exportSlots.has(s) && state.slots[String(s)] === undefined) slot = s;
        }
      }
      if (slot === undefined)
        throw new AppError('BUSY', `changer '${this.name}': no free slot to unload into`);
      state.slots[String(slot)] = label;
      delete state.loaded_from[String(drivenum)];
      await storeCurrentTape(this.dir, drivenum, null);
      await this.save(state);
    });
  }

  async transfer(from: number, to: number): Promise<void> {
    await this.locked(async () => {
      const { state, count } = await this.reconcile();
      this.checkSlot(from, count);
      this.checkSlot(to, count);
      const label = state.slots[String(from)];
      if (label === undefined)
        throw new AppError('INVALID_ARGUMENT', `changer '${this.name}': slot ${from} is empty`);
      if (state.slots[String(to)] !== undefined) {
        throw new AppError('INVALID_ARGUMENT', `changer '${this.name}': slot ${to} is not empty`);
      }
      delete state.slots[String(from)];
      state.slots[String(to)] = label;
      await this.save(state);
    });
  }

  async exportMedia(label: string): Promise<boolean> {
    const status = await this.status();
    const drive = status.drives.find((d) => d.label === label);
    if (drive) await this.unload(drive.id);
    const after = await this.status();
    const from = after.slots.find((s) => s.label === label);
    if (!from)
      throw new AppError('NOT_FOUND', `changer '${this.name}': media '${label}' is not in the library`);
    if (from.kind === 'import-export') return true;
    const to = after.slots.find((s) => s.kind === 'import-export' && s.label === undefined);
    if (!to) return false;
    await this.transfer(from.id, to.id);
    return true;
  }

  async onlineMedia(): Promise<string[]> {
    const status = await this.status();
    return [...status.drives, ...status.slots]
      .filter((e) => e.kind !== 'import-export' && e.label !== undefined)
      .map((e) => e.label as string);
  }

  /** Removes a cartridge from an import/export slot (it leaves the library: its files move to `outsideDir`) */
  async removeFromMailSlot(slot: number, outsideDir: string): Promise<string> {
    return this.locked(async () => {
      const { state, count } = await this.reconcile();
      this.checkSlot(slot, count);
      if (!this.exportSlots.has(slot)) {
        throw new AppError(
          'INVALID_ARGUMENT',
          `changer '${this.name}': slot ${slot} is not an import/export slot`,
        );
      }
      const label = state.slots[String(slot)];
      if (label === undefined)
        throw new AppError('INVALID_ARGUMENT', `changer '${this.name}': slot ${slot} is empty`);
      await fsp.mkdir(outsideDir, { recursive: true });
      for (const name of await fsp.readdir(this.dir)) {
        const match = /^tapefile-\d+-(.+)\.json$/.exec(name);
        if (name === `tape-${label}.json` || match?.[1] === label) {
          await fsp.rename(path.join(this.dir, name), path.join(outsideDir, name));
        }
      }
      delete state.slots[String(slot)];
      await this.save(state);
      return label;
    });
  }
}
