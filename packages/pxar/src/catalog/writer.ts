/**
 * Catalog (`.pcat1`) writer, byte-compatible with the PBS client's `CatalogWriter`
 * (pbs-datastore catalog.rs): magic, then one table per directory written when the directory
 * ends (children before parents), then the root table and its u64 LE offset as the last 8 bytes.
 *
 * Table: varint(byte length of what follows), varint(entry count), entries. Entry: type byte
 * (d f l h b c p s), varint(name length), name, and for `d` varint(table start − child table
 * start), for `f` varint(size) and signed varint(mtime seconds). Only the names of open
 * directories are held in memory; tables stream to the sink.
 */
import { AppError } from '@pbs/api-types/errors';
import { Output, type Sink } from '../encoder/output.js';
import { encodeI64, encodeU64 } from './varint.js';

/** SHA-256("Proxmox Backup Catalog file v1.0")[0..8] */
export const PROXMOX_CATALOG_FILE_MAGIC_1_0 = Buffer.from([0x91, 0xfd, 0x60, 0xf9, 0xc4, 0x67, 0x58, 0xd5]);

export type CatalogEntryType = 'd' | 'f' | 'l' | 'h' | 'b' | 'c' | 'p' | 's';

/** What an archiver reports while it walks (the PBS `BackupCatalogWriter` trait). */
export interface BackupCatalogWriter {
  startDirectory(name: Uint8Array): void;
  endDirectory(): Promise<void>;
  addFile(name: Uint8Array, size: number, mtime: number): void;
  addSymlink(name: Uint8Array): void;
  addHardlink(name: Uint8Array): void;
  addBlockDevice(name: Uint8Array): void;
  addCharDevice(name: Uint8Array): void;
  addFifo(name: Uint8Array): void;
  addSocket(name: Uint8Array): void;
}

interface PendingEntry {
  type: CatalogEntryType;
  name: Uint8Array;
  /** directory: absolute offset of its table; file: size */
  value: number;
  mtime: number;
}

interface DirInfo {
  name: Uint8Array;
  entries: PendingEntry[];
}

function misuse(detail: string): AppError {
  return new AppError('INVALID_ARGUMENT', `catalog writer: ${detail}`);
}

function encodeTable(entries: readonly PendingEntry[], start: number): Buffer {
  const table: number[] = [];
  encodeU64(table, entries.length);
  for (const e of entries) {
    table.push(e.type.charCodeAt(0));
    encodeU64(table, e.name.length);
    for (const b of e.name) table.push(b);
    if (e.type === 'd') encodeU64(table, start - e.value);
    else if (e.type === 'f') {
      encodeU64(table, e.value);
      encodeI64(table, e.mtime);
    }
  }
  const head: number[] = [];
  encodeU64(head, table.length);
  return Buffer.from([...head, ...table]);
}

export class CatalogWriter implements BackupCatalogWriter {
  private readonly out: Output;
  private readonly stack: DirInfo[] = [{ name: Buffer.from('/'), entries: [] }];
  private finished = false;

  /** Starts a catalog; the magic is written immediately. */
  constructor(sink: Sink) {
    this.out = new Output(sink);
    void this.out.write(Buffer.from(PROXMOX_CATALOG_FILE_MAGIC_1_0));
  }

  private top(): DirInfo {
    const dir = this.stack[this.stack.length - 1];
    if (dir === undefined || this.finished) throw misuse('outside root');
    return dir;
  }

  private add(type: CatalogEntryType, name: Uint8Array, value = 0, mtime = 0): void {
    this.top().entries.push({ type, name: Buffer.from(name), value, mtime });
  }

  startDirectory(name: Uint8Array): void {
    this.top();
    this.stack.push({ name: Buffer.from(name), entries: [] });
  }

  async endDirectory(): Promise<void> {
    if (this.stack.length < 2) throw misuse('unexpected end_directory at level 0');
    const dir = this.stack.pop() as DirInfo;
    const start = this.out.position;
    await this.out.write(encodeTable(dir.entries, start));
    this.add('d', dir.name, start);
  }

  addFile(name: Uint8Array, size: number, mtime: number): void {
    this.add('f', name, size, mtime);
  }
  addSymlink(name: Uint8Array): void {
    this.add('l', name);
  }
  addHardlink(name: Uint8Array): void {
    this.add('h', name);
  }
  addBlockDevice(name: Uint8Array): void {
    this.add('b', name);
  }
  addCharDevice(name: Uint8Array): void {
    this.add('c', name);
  }
  addFifo(name: Uint8Array): void {
    this.add('p', name);
  }
  addSocket(name: Uint8Array): void {
    this.add('s', name);
  }

  /** Writes the root table and the trailing root offset, then flushes. */
  async finish(): Promise<void> {
    if (this.stack.length !== 1) throw misuse(`unable to finish at level ${this.stack.length}`);
    const root = this.top();
    const start = this.out.position;
    await this.out.write(encodeTable(root.entries, start));
    const tail = Buffer.alloc(8);
    tail.writeBigUInt64LE(BigInt(start));
    await this.out.write(tail);
    await this.out.flush();
    this.finished = true;
  }
}
