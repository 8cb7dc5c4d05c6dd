/*
 * What a tape operation takes from the task running it (a @pbs/tasks TaskContext is one), and
 * the device it works on: a drive, reached through a changer (a standalone virtual drive is its
 * own changer, as in PBS).
 */
import type { OperationContext } from '@pbs/datastore';
import type { Changer, TapeDrive, TapeDriveStatus } from '../drive/port.js';
import { VirtualChanger } from '../drive/virtual-changer.js';
import { AppError } from '@pbs/api-types/errors';
import { mediaSetDriveKey } from '../state/encryption-keys.js';
import {
  VirtualTapeDrive,
  createVirtualTape,
  peekVirtualDriveStatus,
  removeVirtualTape,
} from '../drive/virtual-tape.js';

export interface TapeContext extends OperationContext {
  /** epoch seconds */
  nowSec(): number;
}

export function tapeContext(ctx: OperationContext & { clock: { now(): number } }): TapeContext {
  return {
    signal: ctx.signal,
    log: (m) => ctx.log(m),
    warn: (m) => ctx.warn(m),
    progress: (p) => ctx.progress(p),
    nowSec: () => Math.floor(ctx.clock.now() / 1000),
  };
}

/** the raw tape encryption key of a fingerprint, undefined when this server lacks it */
export type TapeKeyLookup = (fingerprint: string) => Promise<Buffer | undefined>;

/** the drive key for a media set, or a clear error when the key is missing */
export async function driveKeyFor(
  lookup: TapeKeyLookup | undefined,
  set: { uuid: string; encryption_key_fingerprint?: string } | undefined,
): Promise<Buffer | null> {
  const fp = set?.encryption_key_fingerprint;
  if (fp === undefined || set === undefined) return null;
  const key = lookup ? await lookup(fp) : undefined;
  if (!key) {
    throw new AppError(
      'PERMISSION_DENIED',
      `media set ${set.uuid} is encrypted with tape key ${fp}, which this server does not have - restore the key first`,
    );
  }
  return mediaSetDriveKey(key, set.uuid);
}

export interface OpenDrive extends TapeDrive {
  close(): void;
}

export interface TapeDevice {
  /** the drive's name in tape.cfg */
  readonly driveName: string;
  /** the changer's name: media it holds are 'online-<changerName>' */
  readonly changerName: string;
  readonly changer: Changer;
  readonly drivenum: number;
  /** opens (and locks) the drive; close it when done */
  openDrive(): Promise<OpenDrive>;
  /** the drive's status without opening it (usable while a task holds the drive) */
  peekStatus(): Promise<TapeDriveStatus>;
  /**
   * Virtual libraries only: puts a new blank cartridge with this barcode into a free slot (as
   * loading an unknown label creates a tape in PBS's virtual drive).
   */
  insertBlankTape?(label: string): Promise<void>;
}

export interface VirtualDeviceOptions {
  driveName: string;
  dir: string;
  maxSize?: number;
  /** a virtual changer holding the drive; without it the drive is its own changer */
  changer?: { name: string; slots: number; exportSlots?: number[]; drives?: number };
  drivenum?: number;
}

export function virtualDevice(opts: VirtualDeviceOptions): TapeDevice {
  const drivenum = opts.drivenum ?? 0;
  const changer = new VirtualChanger({
    name: opts.changer?.name ?? opts.driveName,
    dir: opts.dir,
    ...(opts.changer ? { slots: opts.changer.slots, drives: opts.changer.drives ?? drivenum + 1 } : {}),
    exportSlots: opts.changer?.exportSlots ?? [],
  });
  return {
    driveName: opts.driveName,
    changerName: changer.name,
    changer,
    drivenum,
    openDrive: () =>
      VirtualTapeDrive.open({ name: opts.driveName, dir: opts.dir, maxSize: opts.maxSize, drivenum }),
    peekStatus: () =>
      peekVirtualDriveStatus({ name: opts.driveName, dir: opts.dir, maxSize: opts.maxSize, drivenum }),
    insertBlankTape: async (label) => {
      await createVirtualTape(opts.dir, label);
      if ((await changer.status()).slots.every((s) => s.label !== label)) {
        await removeVirtualTape(opts.dir, label);
        throw new AppError('BUSY', `changer '${changer.name}': no free slot for a new tape`);
      }
    },
  };
}
