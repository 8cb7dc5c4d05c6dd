/*
 * The virtual tape drive (pbs-formats §12.3, PBS virtual_tape.rs), with the directory layout of
 * PBS: `drive-status.json` ({"current_tape": {"name", "pos"}} or null), `tape-<label>.json`
 * ({"files": n}; its existence defines a tape) and `tapefile-<pos>-<label>.json` (the raw block
 * stream of one tape file). Writing file `pos` drops the files after it; free space is the
 * capacity minus the files before `pos`; LEOM after max(2, free / block) blocks, ENOSPC two blocks
 * later.
 *
 * Extensions (documented in the package header): drives of a virtual changer other than drive 0
 * keep their state in `drive-status-<n>.json`; the capacity comes from the drive or changer
 * config; drive encryption is emulated: a file written while a key is set has each block
 * AES-256-CTR encrypted (IV from the file and block numbers), and its number is listed in the
 * tape index (`"encrypted": [..]`), so reading it without a key fails as on an LTO drive, and
 * with a wrong key the block headers do not decode. Nothing above the block layer differs.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import { FileLock, replaceFileAtomic } from '@pbs/config';
import { TAPE_BLOCK_SIZE } from '../format/constants.js';
import {
  TapeFullError,
  type BlockSink,
  type BlockSource,
  type TapeDrive,
  type TapeDriveStatus,
} from './port.js';

export const DEFAULT_VIRTUAL_TAPE_SIZE = 64 * 1024 * 1024;
const LOCK_TIMEOUT_MS = 10_000;

interface CurrentTape {
  name: string;
  pos: number;
}

export interface VirtualTapeDriveOptions {
  /** drive name in tape.cfg, for messages */
  name: string;
  /** the directory holding the tapes */
  dir: string;
  /** capacity of each tape in bytes */
  maxSize?: number;
  /** the drive number inside a virtual changer (0: PBS's `drive-status.json`) */
  drivenum?: number;
}

export function tapeIndexPath(dir: string, label: string): string {
  return path.join(dir, `tape-${label}.json`);
}

export function tapeFilePath(dir: string, label: string, pos: number): string {
  return path.join(dir, `tapefile-${pos}-${label}.json`);
}

export function driveStatusPath(dir: string, drivenum: number): string {
  return path.join(dir, drivenum === 0 ? 'drive-status.json' : `drive-status-${drivenum}.json`);
}

async function readJson(file: string): Promise<unknown> {
  try {
    const raw = await fsp.readFile(file, 'utf8');
    return raw.trim() === '' ? undefined : (JSON.parse(raw) as unknown);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('CORRUPT_DATA', `unable to read '${file}': ${(err as Error).message}`, { cause: err });
  }
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await replaceFileAtomic(file, JSON.stringify(value, null, 2));
}

/** the labels of all tapes in a directory (`tape-<label>.json`), sorted */
export async function listVirtualTapes(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter((n) => n.startsWith('tape-') && n.endsWith('.json'))
    .map((n) => n.slice(5, -5))
    .sort();
}

/** creates an empty tape (what inserting a new cartridge does) */
export async function createVirtualTape(dir: string, label: string): Promise<void> {
  await fsp.mkdir(dir, { recursive: true });
  try {
    await fsp.writeFile(tapeIndexPath(dir, label), JSON.stringify({ files: 0 }, null, 2), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new AppError('ALREADY_EXISTS', `virtual tape '${label}' already exists in '${dir}'`);
    }
    throw err;
  }
}

/** removes a tape and its files (what taking a cartridge out of the library does) */
export async function removeVirtualTape(dir: string, label: string): Promise<void> {
  const files = await readTapeFiles(dir, label);
  for (let i = 0; i < files; i++) await fsp.rm(tapeFilePath(dir, label, i), { force: true });
  await fsp.rm(tapeIndexPath(dir, label), { force: true });
}

interface TapeIndex {
  files: number;
  /** extension: file numbers written with drive encryption */
  encrypted?: number[];
}

async function readTapeIndex(dir: string, label: string): Promise<TapeIndex> {
  const index = (await readJson(tapeIndexPath(dir, label))) as
    { files?: unknown; encrypted?: unknown } | undefined;
  return {
    files: typeof index?.files === 'number' ? index.files : 0,
    ...(Array.isArray(index?.encrypted)
      ? { encrypted: index.encrypted.filter((n): n is number => typeof n === 'number') }
      : {}),
  };
}

export async function readTapeFiles(dir: string, label: string): Promise<number> {
  return (await readTapeIndex(dir, label)).files;
}

/** Sets the file count; files from `files` on lose their encryption marks. */
async function storeTapeFiles(
  dir: string,
  label: string,
  files: number,
  encryptedFile?: number,
): Promise<void> {
  const old = await readTapeIndex(dir, label);
  const encrypted = (old.encrypted ?? []).filter((n) => n < files && n !== encryptedFile);
  if (encryptedFile !== undefined) encrypted.push(encryptedFile);
  await writeJson(tapeIndexPath(dir, label), { files, ...(encrypted.length > 0 ? { encrypted } : {}) });
}

function blockCipherIv(file: number, block: number): Buffer {
  return createHash('sha256').update(`virtual-tape-block ${file} ${block}`).digest().subarray(0, 16);
}

function cryptBlock(key: Buffer, file: number, block: number, data: Buffer, encrypt: boolean): Buffer {
  const iv = blockCipherIv(file, block);
  const c = encrypt ? createCipheriv('aes-256-ctr', key, iv) : createDecipheriv('aes-256-ctr', key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await fsp.stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

export async function readCurrentTape(dir: string, drivenum: number): Promise<CurrentTape | null> {
  const status = (await readJson(driveStatusPath(dir, drivenum))) as
    { current_tape?: CurrentTape | null } | undefined;
  return status?.current_tape ?? null;
}

export async function storeCurrentTape(
  dir: string,
  drivenum: number,
  tape: CurrentTape | null,
): Promise<void> {
  await writeJson(driveStatusPath(dir, drivenum), { current_tape: tape });
}

class VirtualBlockSink implements BlockSink {
  private blockNr = 0;
  private readonly maxBlocks: number;
  private done = false;

  constructor(
    private readonly handle: fsp.FileHandle,
    freeSpace: number,
    private readonly what: string,
    private readonly crypt?: { key: Buffer; file: number },
  ) {
    this.maxBlocks = Math.max(2, Math.floor(freeSpace / TAPE_BLOCK_SIZE));
  }

  async writeBlock(block: Buffer): Promise<boolean> {
    if (this.done) throw new AppError('INTERNAL', `${this.what}: write after filemark`);
    if (block.length !== TAPE_BLOCK_SIZE) {
      throw new AppError(
        'INTERNAL',
        `${this.what}: block of ${block.length} bytes, expected ${TAPE_BLOCK_SIZE}`,
      );
    }
    if (this.blockNr >= this.maxBlocks + 2) throw new TapeFullError(this.what);
    const out = this.crypt ? cryptBlock(this.crypt.key, this.crypt.file, this.blockNr, block, true) : block;
    await this.handle.write(out, 0, out.length);
    this.blockNr += 1;
    return this.blockNr > this.maxBlocks;
  }

  async writeFilemark(): Promise<void> {
    if (this.done) throw new AppError('INTERNAL', `${this.what}: second filemark`);
    this.done = true;
    await this.handle.close();
  }
}

class VirtualBlockSource implements BlockSource {
  private closed = false;
  private blockNr = 0;
  constructor(
    private readonly handle: fsp.FileHandle,
    private readonly what: string,
    private readonly crypt?: { key: Buffer; file: number },
  ) {}

  async readBlock(): Promise<Buffer | null> {
    if (this.closed) return null;
    const block = Buffer.alloc(TAPE_BLOCK_SIZE);
    const { bytesRead } = await this.handle.read(block, 0, TAPE_BLOCK_SIZE);
    if (bytesRead === 0) return null;
    if (bytesRead !== TAPE_BLOCK_SIZE) {
      throw new AppError('CORRUPT_DATA', `${this.what}: short block (${bytesRead} bytes)`);
    }
    if (!this.crypt) return block;
    const plain = cryptBlock(this.crypt.key, this.crypt.file, this.blockNr, block, false);
    this.blockNr += 1;
    return plain;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

/**
 * The status of a virtual drive without opening it (no drive lock): what the UI polls while a
 * backup holds the drive. A real drive would answer from its last known state.
 */
export async function peekVirtualDriveStatus(opts: VirtualTapeDriveOptions): Promise<TapeDriveStatus> {
  const dir = opts.dir;
  const drivenum = opts.drivenum ?? 0;
  const maxSize = opts.maxSize ?? DEFAULT_VIRTUAL_TAPE_SIZE;
  const tape = await readCurrentTape(dir, drivenum);
  if (!tape) {
    return {
      loaded: null,
      fileNumber: null,
      files: null,
      bytesUsed: null,
      capacity: maxSize,
      writeProtect: false,
    };
  }
  const files = await readTapeFiles(dir, tape.name);
  let bytesUsed = 0;
  for (let i = 0; i < files; i++) bytesUsed += await fileSize(tapeFilePath(dir, tape.name, i));
  return {
    loaded: tape.name,
    fileNumber: tape.pos,
    files,
    bytesUsed,
    capacity: maxSize,
    writeProtect: false,
  };
}

/**
 * One opened virtual drive: holds `.drive.lck` (drive 0) or `.drive-<n>.lck` until close(), as
 * PBS holds the drive lock while a handle is open.
 */
export class VirtualTapeDrive implements TapeDrive {
  readonly name: string;
  readonly dir: string;
  readonly maxSize: number;
  readonly drivenum: number;
  private encryptionKey: Buffer | null = null;

  private constructor(
    opts: VirtualTapeDriveOptions,
    private readonly lock: FileLock,
  ) {
    this.name = opts.name;
    this.dir = opts.dir;
    this.maxSize = opts.maxSize ?? DEFAULT_VIRTUAL_TAPE_SIZE;
    this.drivenum = opts.drivenum ?? 0;
  }

  static async open(opts: VirtualTapeDriveOptions): Promise<VirtualTapeDrive> {
    await fsp.mkdir(opts.dir, { recursive: true });
    const n = opts.drivenum ?? 0;
    const lockPath = path.join(opts.dir, n === 0 ? '.drive.lck' : `.drive-${n}.lck`);
    let lock: FileLock;
    try {
      lock = await FileLock.acquire(lockPath, { timeoutMs: LOCK_TIMEOUT_MS });
    } catch (err) {
      throw new AppError('BUSY', `open drive '${opts.name}' (${opts.dir}) failed - drive is busy`, {
        cause: err,
      });
    }
    return new VirtualTapeDrive(opts, lock);
  }

  close(): void {
    this.lock.release();
  }

  private async current(): Promise<CurrentTape> {
    const tape = await readCurrentTape(this.dir, this.drivenum);
    if (!tape) throw new AppError('INVALID_ARGUMENT', `drive '${this.name}' is empty (no tape loaded)`);
    return tape;
  }

  private async store(tape: CurrentTape | null): Promise<void> {
    await storeCurrentTape(this.dir, this.drivenum, tape);
  }

  /** the changer puts a cartridge into the drive (PBS: loading an unknown label creates a tape) */
  async load(label: string): Promise<void> {
    if (!(await listVirtualTapes(this.dir)).includes(label)) await createVirtualTape(this.dir, label);
    await this.store({ name: label, pos: 0 });
  }

  async loaded(): Promise<string | null> {
    return (await readCurrentTape(this.dir, this.drivenum))?.name ?? null;
  }

  async status(): Promise<TapeDriveStatus> {
    return peekVirtualDriveStatus({
      name: this.name,
      dir: this.dir,
      maxSize: this.maxSize,
      drivenum: this.drivenum,
    });
  }

  async rewind(): Promise<void> {
    const tape = await this.current();
    await this.store({ ...tape, pos: 0 });
  }

  async moveToFile(n: number): Promise<void> {
    const tape = await this.current();
    const files = await readTapeFiles(this.dir, tape.name);
    if (!Number.isInteger(n) || n < 0 || n > files) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `drive '${this.name}': invalid file number ${n} (tape has ${files})`,
      );
    }
    await this.store({ ...tape, pos: n });
  }

  async moveToEndOfData(): Promise<void> {
    const tape = await this.current();
    await this.store({ ...tape, pos: await readTapeFiles(this.dir, tape.name) });
  }

  async currentFileNumber(): Promise<number> {
    return (await this.current()).pos;
  }

  setEncryptionKey(key: Buffer | null): void {
    if (key !== null && key.length !== 32) {
      throw new AppError('INVALID_ARGUMENT', 'drive encryption keys have 32 bytes');
    }
    this.encryptionKey = key;
  }

  async writeFile(): Promise<BlockSink> {
    const key = this.encryptionKey;
    const tape = await this.current();
    const files = await readTapeFiles(this.dir, tape.name);
    for (let i = tape.pos; i < files; i++)
      await fsp.rm(tapeFilePath(this.dir, tape.name, i), { force: true });
    let used = 0;
    for (let i = 0; i < tape.pos; i++) used += await fileSize(tapeFilePath(this.dir, tape.name, i));
    await storeTapeFiles(this.dir, tape.name, tape.pos + 1, key ? tape.pos : undefined);
    const handle = await fsp.open(tapeFilePath(this.dir, tape.name, tape.pos), 'w');
    await this.store({ ...tape, pos: tape.pos + 1 });
    const free = Math.max(0, this.maxSize - used);
    const what = `drive '${this.name}', tape '${tape.name}' file ${tape.pos}`;
    return new VirtualBlockSink(handle, free, what, key ? { key, file: tape.pos } : undefined);
  }

  async readNextFile(): Promise<BlockSource | null> {
    const tape = await this.current();
    const index = await readTapeIndex(this.dir, tape.name);
    if (tape.pos >= index.files) return null;
    const encrypted = index.encrypted?.includes(tape.pos) ?? false;
    if (encrypted && !this.encryptionKey) {
      throw new AppError(
        'PERMISSION_DENIED',
        `drive '${this.name}': tape '${tape.name}' file ${tape.pos} is encrypted and the drive has no key`,
      );
    }
    const file = tapeFilePath(this.dir, tape.name, tape.pos);
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(file, 'r');
    } catch (err) {
      throw new AppError(
        'CORRUPT_DATA',
        `drive '${this.name}': tape '${tape.name}' file ${tape.pos} is missing`,
        {
          cause: err,
        },
      );
    }
    await this.store({ ...tape, pos: tape.pos + 1 });
    const key = encrypted ? this.encryptionKey : null;
    const what = `drive '${this.name}', tape '${tape.name}' file ${tape.pos}${key ? ' (encrypted)' : ''}`;
    return new VirtualBlockSource(handle, what, key ? { key, file: tape.pos } : undefined);
  }

  async format(): Promise<void> {
    const tape = await this.current();
    const files = await readTapeFiles(this.dir, tape.name);
    for (let i = 0; i < files; i++) await fsp.rm(tapeFilePath(this.dir, tape.name, i), { force: true });
    await storeTapeFiles(this.dir, tape.name, 0);
    await this.store({ ...tape, pos: 0 });
  }

  /** A standalone virtual drive ejects by unloading (PBS); in a changer the changer unloads. */
  async eject(): Promise<void> {
    await this.store(null);
  }
}
