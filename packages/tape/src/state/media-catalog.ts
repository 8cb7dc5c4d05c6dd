/*
 * The media catalog of one medium (pbs-formats §12.4, PBS media_catalog.rs): the v1.1 magic, then
 * records `<type byte><struct LE with natural alignment padding>`:
 *   L label        file_number u64, uuid [16], seq_nr u64                             (32)
 *   A archive start file_number u64, uuid [16], store_len u8, 7 pad; store           (32 + n)
 *   C chunk        digest [32]                                                        (32)
 *   E archive end  file_number u64, uuid [16]                                         (24)
 *   S snapshot     file_number u64, uuid [16], store_len u8, pad, name_len u16, 4 pad;
 *                  `<store>:<ns-path/snapshot>`                                       (32 + n)
 * The first two records are the labels of files 0 (media UUID) and 1 (media-set UUID). File
 * numbers only grow. Persisted as `<state>/<media-uuid>.log`, replaced atomically on commit.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import { replaceFileAtomic } from '@pbs/config';
import { MEDIA_CATALOG_MAGIC_1_0, MEDIA_CATALOG_MAGIC_1_1 } from '../format/constants.js';
import { uuidFromBytes, uuidToBytes } from '../format/content-header.js';

export interface CatalogSnapshot {
  store: string;
  /** '[ns/a/ns/b/]type/id/time' */
  snapshot: string;
  fileNumber: number;
}

export function catalogPath(stateDir: string, mediaUuid: string): string {
  return path.join(stateDir, `${mediaUuid}.log`);
}

function corrupt(where: string, msg: string): AppError {
  return new AppError('CORRUPT_DATA', `media catalog ${where}: ${msg}`);
}

export class MediaCatalog {
  private readonly parts: Buffer[] = [MEDIA_CATALOG_MAGIC_1_1];
  private labels: { uuid: string; seqNr: number; fileNumber: number }[] = [];
  private lastFile = -1;
  private current: { uuid: string; fileNumber: number; store: string } | null = null;
  /** store → digest (hex) → file number */
  private readonly chunks = new Map<string, Map<string, number>>();
  /** store → snapshot path → file number */
  private readonly snaps = new Map<string, Map<string, number>>();
  /** entries in registration order */
  private readonly snapshotList: CatalogSnapshot[] = [];

  constructor(private readonly where = '') {}

  get mediaUuid(): string | undefined {
    return this.labels[0]?.uuid;
  }

  get mediaSetUuid(): string | undefined {
    return this.labels[1]?.uuid;
  }

  get mediaSetSeqNr(): number | undefined {
    return this.labels[1]?.seqNr;
  }

  /** the last file number recorded (-1 when empty) */
  get lastFileNumber(): number {
    return this.lastFile;
  }

  private checkFile(fileNumber: number, what: string): void {
    if (fileNumber <= this.lastFile) {
      throw corrupt(this.where, `${what} at file ${fileNumber} after file ${this.lastFile}`);
    }
  }

  registerLabel(uuid: string, seqNr: number, fileNumber: number): void {
    if (fileNumber !== this.labels.length || fileNumber > 1) {
      throw corrupt(this.where, `label at file ${fileNumber} out of order`);
    }
    if (fileNumber === 0 && seqNr !== 0) throw corrupt(this.where, 'media label with seq_nr != 0');
    const rec = Buffer.alloc(33);
    rec[0] = 0x4c; // 'L'
    rec.writeBigUInt64LE(BigInt(fileNumber), 1);
    uuidToBytes(uuid).copy(rec, 9);
    rec.writeBigUInt64LE(BigInt(seqNr), 25);
    this.parts.push(rec);
    this.labels.push({ uuid, seqNr, fileNumber });
    this.lastFile = fileNumber;
  }

  startChunkArchive(uuid: string, fileNumber: number, store: string): void {
    if (this.current) throw corrupt(this.where, 'chunk archive started twice');
    this.checkFile(fileNumber, 'chunk archive');
    const name = Buffer.from(store, 'utf8');
    if (name.length > 255) throw new AppError('INVALID_ARGUMENT', `store name '${store}' too long`);
    const rec = Buffer.alloc(33);
    rec[0] = 0x41; // 'A'
    rec.writeBigUInt64LE(BigInt(fileNumber), 1);
    uuidToBytes(uuid).copy(rec, 9);
    rec[25] = name.length;
    this.parts.push(rec, name);
    this.current = { uuid, fileNumber, store };
    if (!this.chunks.has(store)) this.chunks.set(store, new Map());
  }

  registerChunk(digest: string): void {
    if (!this.current) throw corrupt(this.where, 'chunk outside of a chunk archive');
    const raw = Buffer.from(digest, 'hex');
    if (raw.length !== 32) throw new AppError('INVALID_ARGUMENT', `'${digest}' is not a chunk digest`);
    this.parts.push(Buffer.concat([Buffer.from([0x43]), raw]));
    this.chunks.get(this.current.store)?.set(digest, this.current.fileNumber);
  }

  endChunkArchive(): void {
    const cur = this.current;
    if (!cur) throw corrupt(this.where, 'chunk archive end without start');
    const rec = Buffer.alloc(25);
    rec[0] = 0x45; // 'E'
    rec.writeBigUInt64LE(BigInt(cur.fileNumber), 1);
    uuidToBytes(cur.uuid).copy(rec, 9);
    this.parts.push(rec);
    this.current = null;
    this.lastFile = cur.fileNumber;
  }

  registerSnapshot(uuid: string, fileNumber: number, store: string, snapshot: string): void {
    if (this.current) throw corrupt(this.where, 'snapshot inside a chunk archive');
    this.checkFile(fileNumber, 'snapshot archive');
    const storeBytes = Buffer.from(store, 'utf8');
    const nameBytes = Buffer.from(snapshot, 'utf8');
    const rec = Buffer.alloc(33);
    rec[0] = 0x53; // 'S'
    rec.writeBigUInt64LE(BigInt(fileNumber), 1);
    uuidToBytes(uuid).copy(rec, 9);
    rec[25] = storeBytes.length;
    rec.writeUInt16LE(nameBytes.length, 27);
    this.parts.push(rec, storeBytes, Buffer.from(':'), nameBytes);
    let map = this.snaps.get(store);
    if (!map) this.snaps.set(store, (map = new Map<string, number>()));
    map.set(snapshot, fileNumber);
    this.snapshotList.push({ store, snapshot, fileNumber });
    this.lastFile = fileNumber;
  }

  /** A file that holds no catalog content (a catalog archive) still advances the file number. */
  skipFile(fileNumber: number): void {
    this.checkFile(fileNumber, 'file');
    this.lastFile = fileNumber;
  }

  containsChunk(store: string, digest: string): boolean {
    return this.chunks.get(store)?.has(digest) ?? false;
  }

  chunkFile(store: string, digest: string): number | undefined {
    return this.chunks.get(store)?.get(digest);
  }

  containsSnapshot(store: string, snapshot: string): boolean {
    return this.snaps.get(store)?.has(snapshot) ?? false;
  }

  snapshots(): readonly CatalogSnapshot[] {
    return this.snapshotList;
  }

  /** store → the digests this medium holds */
  chunkDigests(): Map<string, string[]> {
    return new Map([...this.chunks].map(([store, m]) => [store, [...m.keys()]]));
  }

  chunkCount(store?: string): number {
    if (store !== undefined) return this.chunks.get(store)?.size ?? 0;
    let n = 0;
    for (const m of this.chunks.values()) n += m.size;
    return n;
  }

  /** the catalog file's bytes */
  encode(): Buffer {
    return Buffer.concat(this.parts);
  }

  static parse(raw: Buffer, where: string): MediaCatalog {
    const cat = new MediaCatalog(where);
    const magic = raw.subarray(0, 8);
    if (magic.equals(MEDIA_CATALOG_MAGIC_1_0))
      throw corrupt(where, 'old catalog format (v1.0) is no longer supported');
    if (raw.length < 8 || !magic.equals(MEDIA_CATALOG_MAGIC_1_1)) throw corrupt(where, 'wrong magic number');
    let pos = 8;
    const need = (n: number) => {
      if (pos + n > raw.length) throw corrupt(where, `truncated record at offset ${pos}`);
      const b = raw.subarray(pos, pos + n);
      pos += n;
      return b;
    };
    while (pos < raw.length) {
      const type = need(1)[0];
      switch (type) {
        case 0x4c: {
          const r = need(32);
          cat.registerLabel(
            uuidFromBytes(r.subarray(8, 24)),
            Number(r.readBigUInt64LE(24)),
            Number(r.readBigUInt64LE(0)),
          );
          break;
        }
        case 0x41: {
          const r = need(32);
          const store = need(r[24] ?? 0).toString('utf8');
          cat.startChunkArchive(uuidFromBytes(r.subarray(8, 24)), Number(r.readBigUInt64LE(0)), store);
          break;
        }
        case 0x43:
          cat.registerChunk(need(32).toString('hex'));
          break;
        case 0x45: {
          const r = need(24);
          const cur = cat.current;
          if (
            !cur ||
            cur.fileNumber !== Number(r.readBigUInt64LE(0)) ||
            cur.uuid !== uuidFromBytes(r.subarray(8, 24))
          ) {
            throw corrupt(where, 'chunk archive end does not match its start');
          }
          cat.endChunkArchive();
          break;
        }
        case 0x53: {
          const r = need(32);
          const storeLen = r[24] ?? 0;
          const nameLen = r.readUInt16LE(26);
          const tail = need(storeLen + 1 + nameLen);
          if (tail[storeLen] !== 0x3a) throw corrupt(where, 'missing separator in snapshot entry');
          cat.registerSnapshot(
            uuidFromBytes(r.subarray(8, 24)),
            Number(r.readBigUInt64LE(0)),
            tail.subarray(0, storeLen).toString('utf8'),
            tail.subarray(storeLen + 1).toString('utf8'),
          );
          break;
        }
        default:
          throw corrupt(where, `unknown entry type ${type} at offset ${pos - 1}`);
      }
    }
    return cat;
  }

  static async load(stateDir: string, mediaUuid: string): Promise<MediaCatalog | null> {
    const file = catalogPath(stateDir, mediaUuid);
    let raw: Buffer;
    try {
      raw = await fsp.readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return MediaCatalog.parse(raw, `'${file}'`);
  }

  async save(stateDir: string): Promise<void> {
    const uuid = this.mediaUuid;
    if (uuid === undefined) throw new AppError('INTERNAL', 'media catalog without a media label');
    await fsp.mkdir(stateDir, { recursive: true });
    await replaceFileAtomic(catalogPath(stateDir, uuid), this.encode());
  }

  static async remove(stateDir: string, mediaUuid: string): Promise<void> {
    await fsp.rm(catalogPath(stateDir, mediaUuid), { force: true });
  }

  static async exists(stateDir: string, mediaUuid: string): Promise<boolean> {
    try {
      await fsp.access(catalogPath(stateDir, mediaUuid));
      return true;
    } catch {
      return false;
    }
  }
}
