/*
 * The ports a tape backup drives: a TapeDrive moves raw fixed-size blocks and filemarks (what a
 * SCSI tape driver does), a Changer moves cartridges between slots and drives. Everything above
 * (block headers, content headers, archives, catalogs) is device independent.
 */
import { AppError } from '@pbs/api-types/errors';

/** One tape file being written: raw TAPE_BLOCK_SIZE blocks, ended by a filemark. */
export interface BlockSink {
  /**
   * Writes one block. Resolves true once the logical end of media (LEOM, early warning) is
   * reached: the caller should finish the file; a few more blocks still fit. Past the physical
   * end it rejects with a TapeFullError.
   */
  writeBlock(block: Buffer): Promise<boolean>;
  /** ends the file; nothing after */
  writeFilemark(): Promise<void>;
}

/** One tape file being read. */
export interface BlockSource {
  /** the next raw block, or null at the filemark */
  readBlock(): Promise<Buffer | null>;
  close(): Promise<void>;
}

export interface TapeDriveStatus {
  /** label (barcode) of the loaded cartridge; null when the drive is empty */
  loaded: string | null;
  /** the next file number; null when empty */
  fileNumber: number | null;
  /** files on the loaded tape; null when empty */
  files: number | null;
  /** bytes of the files on the loaded tape */
  bytesUsed: number | null;
  /** native capacity of a cartridge in bytes */
  capacity: number;
  writeProtect: boolean;
}

export interface TapeDrive {
  readonly name: string;
  status(): Promise<TapeDriveStatus>;
  rewind(): Promise<void>;
  /** positions before file `n` (0 = beginning of tape; `files` = end of data) */
  moveToFile(n: number): Promise<void>;
  /** positions after the last file, ready to append */
  moveToEndOfData(): Promise<void>;
  currentFileNumber(): Promise<number>;
  /** starts a new file at the current position; everything after it is lost */
  writeFile(): Promise<BlockSink>;
  /** opens the file at the current position and advances past it; null at end of data */
  readNextFile(): Promise<BlockSource | null>;
  /** erases the whole tape (fast: just the beginning; the emulation does not care) */
  format(): Promise<void>;
  /** rewinds and unloads; in a changer the cartridge stays in the drive until unloaded */
  eject(): Promise<void>;
  /**
   * Drive encryption (LTO: SECURITY PROTOCOL OUT with a 256-bit key): files written while a key
   * is set are encrypted by the drive; reading them needs the same key. null turns it off.
   */
  setEncryptionKey(key: Buffer | null): void;
}

export type ChangerElementKind = 'drive' | 'slot' | 'import-export';

export interface ChangerElement {
  kind: ChangerElementKind;
  /** drive number (0-based) or slot number (1-based; import/export slots count as slots) */
  id: number;
  /** the cartridge's barcode, undefined when empty */
  label?: string;
  /** drives: the slot the cartridge was loaded from */
  loadedSlot?: number;
}

export interface ChangerStatus {
  drives: ChangerElement[];
  /** storage and import/export slots in slot order */
  slots: ChangerElement[];
}

export interface Changer {
  readonly name: string;
  status(): Promise<ChangerStatus>;
  loadSlot(slot: number, drivenum: number): Promise<void>;
  /** loads the cartridge with this barcode (from any storage slot) */
  loadMedia(label: string, drivenum: number): Promise<void>;
  /** puts the drive's cartridge back (into `targetSlot`, its source slot, or the first free slot) */
  unload(drivenum: number, targetSlot?: number): Promise<void>;
  transfer(from: number, to: number): Promise<void>;
  /** moves a cartridge into a free import/export slot; false when there is none */
  exportMedia(label: string): Promise<boolean>;
  /** barcodes of cartridges in storage slots and drives (online media; mail slots excluded) */
  onlineMedia(): Promise<string[]>;
}

/** The physical end of a cartridge: nothing more fits (ENOSPC). */
export class TapeFullError extends AppError {
  constructor(what: string) {
    super('BACKEND_UNAVAILABLE', `${what}: no space left on tape (end of media)`);
  }
}
