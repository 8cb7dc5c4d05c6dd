/**
 * One backup protocol session (api2/backup): the endpoints of pbs-formats §10.3 over an engine
 * BackupWriter. Index writers are numbered per session (wid, from 1); chunks may be referenced
 * only when uploaded in this session or registered from the base snapshot (GET /previous). The
 * manifest is held until /finish, which writes it last: without a successful finish nothing of
 * the snapshot remains.
 */
import { AppError } from '@pbs/api-types';
import {
  FIXED_INDEX_CHUNK_SIZE,
  FixedIndexReader,
  MANIFEST_BLOB_NAME,
  MAX_CHUNK_SIZE,
  MAX_ENCODED_SIZE,
  parseDigest,
  type BackupWriter,
  type DynamicIndexWriter,
  type FixedIndexWriter,
} from '@pbs/datastore';
import { BinaryReply, type H2Request, type H2Routes } from './h2-server.js';
import { digestParam, integer, optionalInteger, required } from './query.js';
import { UploadStats } from './upload-stats.js';

type IndexSlot =
  | {
      kind: 'dynamic';
      name: string;
      writer: DynamicIndexWriter;
      end: number;
      count: number;
      stats: UploadStats;
    }
  | {
      kind: 'fixed';
      name: string;
      writer: FixedIndexWriter;
      end: number;
      count: number;
      size: number;
      stats: UploadStats;
    };

export interface BackupSessionLog {
  log(message: string): void;
  progress(stats: { bytes: number; chunks: number; duplicates: number }): void;
}

interface AppendBody {
  wid: number;
  'digest-list': string[];
  'offset-list': number[];
}

export class BackupSession {
  private readonly slots = new Map<number, IndexSlot>();
  private nextWid = 1;
  private manifest: Buffer | undefined;
  private fileCount = 0;
  finished = false;
  readonly totals = new UploadStats();

  constructor(
    private readonly writer: BackupWriter,
    private readonly out: BackupSessionLog,
  ) {}

  routes(): H2Routes {
    return {
      'GET /previous_backup_time': () => Promise.resolve(this.writer.previous?.time ?? null),
      'GET /previous': (req) => this.previous(req),
      'POST /blob': (req) => this.blob(req),
      'POST /dynamic_index': (req) => this.createIndex(req, 'dynamic'),
      'POST /fixed_index': (req) => this.createIndex(req, 'fixed'),
      'POST /dynamic_chunk': (req) => this.chunk(req, 'dynamic'),
      'POST /fixed_chunk': (req) => this.chunk(req, 'fixed'),
      'PUT /dynamic_index': (req) => this.append(req, 'dynamic'),
      'PUT /fixed_index': (req) => this.append(req, 'fixed'),
      'POST /dynamic_close': (req) => this.close(req, 'dynamic'),
      'POST /fixed_close': (req) => this.close(req, 'fixed'),
      'POST /speedtest': () => Promise.resolve(null),
      'POST /finish': () => this.finish(),
      'GET /': () =>
        Promise.resolve([
          'blob',
          'dynamic_chunk',
          'dynamic_close',
          'dynamic_index',
          'finish',
          'fixed_chunk',
          'fixed_close',
          'fixed_index',
          'previous',
          'previous_backup_time',
          'speedtest',
        ]),
    };
  }

  private async previous(req: H2Request): Promise<BinaryReply> {
    const name = required(req.query, 'archive-name');
    if (this.writer.previous === undefined) throw new AppError('NOT_FOUND', 'no valid previous backup');
    return new BinaryReply(await this.writer.readPreviousFile(name));
  }

  private async blob(req: H2Request): Promise<null> {
    const name = required(req.query, 'file-name');
    const encodedSize = integer(req.query, 'encoded-size', 12, MAX_ENCODED_SIZE);
    if (req.body.length !== encodedSize) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `blob '${name}': got ${req.body.length} bytes, expected ${encodedSize}`,
      );
    }
    if (name === MANIFEST_BLOB_NAME) {
      this.manifest = req.body;
    } else {
      await this.writer.writeBlob(name, req.body);
      this.fileCount += 1;
    }
    this.out.log(`add blob '${name}' (${encodedSize} bytes)`);
    return null;
  }

  private async createIndex(req: H2Request, kind: 'dynamic' | 'fixed'): Promise<number> {
    const name = required(req.query, 'archive-name');
    const wid = this.nextWid;
    if (wid > 256) throw new AppError('INVALID_ARGUMENT', 'too many index writers in this session');
    if (kind === 'dynamic') {
      const writer = await this.writer.createDynamicIndex(name);
      this.slots.set(wid, { kind, name, writer, end: 0, count: 0, stats: new UploadStats() });
    } else {
      const size = optionalInteger(req.query, 'size', 1, Number.MAX_SAFE_INTEGER);
      const writer = await this.writer.createFixedIndex(name, size);
      const slot: IndexSlot = {
        kind,
        name,
        writer,
        end: 0,
        count: 0,
        size: size ?? 0,
        stats: new UploadStats(),
      };
      const reuse = req.query.get('reuse-csum');
      if (reuse !== null) await this.reusePrevious(slot, reuse);
      this.slots.set(wid, slot);
    }
    this.nextWid += 1;
    this.out.log(`created new ${kind} index ${wid} ("${name}")`);
    return wid;
  }

  /** Incremental image backups start from a copy of the previous index (dirty-bitmap backups). */
  private async reusePrevious(slot: IndexSlot & { kind: 'fixed' }, csum: string): Promise<void> {
    const previous = await this.writer.openPreviousIndex(slot.name);
    if (!(previous instanceof FixedIndexReader))
      throw new AppError('INVALID_ARGUMENT', `'${slot.name}' is not a fixed index`);
    if (previous.computeCsum().csum.toString('hex') !== csum) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `reuse-csum of '${slot.name}' does not match the previous index`,
      );
    }
    slot.writer.cloneDataFrom(previous);
  }

  private slot(req: H2Request, kind: 'dynamic' | 'fixed'): IndexSlot {
    const wid = integer(req.query, 'wid', 1, 256);
    const slot = this.slots.get(wid);
    if (slot?.kind !== kind)
      throw new AppError('INVALID_ARGUMENT', `no ${kind} index writer with wid ${wid}`);
    return slot;
  }

  private async chunk(req: H2Request, kind: 'dynamic' | 'fixed'): Promise<string> {
    const slot = this.slot(req, kind);
    const digest = digestParam(req.query, 'digest');
    const size = integer(req.query, 'size', 1, kind === 'fixed' ? FIXED_INDEX_CHUNK_SIZE : MAX_CHUNK_SIZE);
    const encodedSize = integer(req.query, 'encoded-size', 13, MAX_ENCODED_SIZE);
    if (req.body.length !== encodedSize) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `chunk ${digest}: got ${req.body.length} bytes, expected ${encodedSize}`,
      );
    }
    const { duplicate } = await this.writer.insertChunk(parseDigest(digest), req.body, { size });
    slot.stats.add(size, encodedSize, duplicate);
    this.totals.add(size, encodedSize, duplicate);
    this.out.progress(this.totals.snapshot());
    return digest;
  }

  private async append(req: H2Request, kind: 'dynamic' | 'fixed'): Promise<null> {
    const body = JSON.parse(req.body.toString('utf8')) as AppendBody;
    const wid = body.wid;
    const slot = this.slots.get(wid);
    if (slot?.kind !== kind)
      throw new AppError('INVALID_ARGUMENT', `no ${kind} index writer with wid ${wid}`);
    const digests = body['digest-list'];
    const offsets = body['offset-list'];
    if (!Array.isArray(digests) || !Array.isArray(offsets) || digests.length !== offsets.length) {
      throw new AppError('INVALID_ARGUMENT', 'digest-list and offset-list must be arrays of equal length');
    }
    for (const [i, hex] of digests.entries()) await this.appendOne(slot, hex, offsets[i] ?? -1);
    return null;
  }

  private async appendOne(slot: IndexSlot, hex: string, offset: number): Promise<void> {
    const size = this.writer.knownChunkSize(hex);
    if (size === undefined) throw new AppError('INVALID_ARGUMENT', `no such chunk ${hex}`);
    const digest = parseDigest(hex);
    if (slot.kind === 'dynamic') {
      if (offset !== slot.end) {
        throw new AppError(
          'INVALID_ARGUMENT',
          `'${slot.name}': chunk offset ${offset} does not continue at ${slot.end}`,
        );
      }
      await slot.writer.addChunk(offset + size, digest);
    } else {
      if (offset % FIXED_INDEX_CHUNK_SIZE !== 0) {
        throw new AppError(
          'INVALID_ARGUMENT',
          `'${slot.name}': offset ${offset} is not a multiple of the chunk size`,
        );
      }
      slot.writer.addChunk(offset, size, digest);
    }
    slot.end = Math.max(slot.end, offset + size);
    slot.count += 1;
  }

  private async close(req: H2Request, kind: 'dynamic' | 'fixed'): Promise<null> {
    const slot = this.slot(req, kind);
    const count = integer(req.query, 'chunk-count', 0, Number.MAX_SAFE_INTEGER);
    const size = integer(req.query, 'size', 0, Number.MAX_SAFE_INTEGER);
    const csum = required(req.query, 'csum');
    if (count !== slot.count) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `'${slot.name}': chunk count mismatch (${slot.count} != ${count})`,
      );
    }
    const sizeFromChunks = kind === 'dynamic' || (slot.kind === 'fixed' && slot.size === 0);
    if (sizeFromChunks && size !== slot.end) {
      throw new AppError('INVALID_ARGUMENT', `'${slot.name}': size mismatch (${slot.end} != ${size})`);
    }
    const written = (await slot.writer.close()).toString('hex');
    if (written !== csum)
      throw new AppError('INVALID_ARGUMENT', `'${slot.name}': checksum mismatch (${written} != ${csum})`);
    this.slots.delete(integer(req.query, 'wid', 1, 256));
    this.fileCount += 1;
    this.out.log(`Upload statistics for '${slot.name}': ${slot.stats.describe()}`);
    return null;
  }

  private async finish(): Promise<null> {
    if (this.slots.size > 0)
      throw new AppError('INVALID_ARGUMENT', 'unable to finish backup: an index writer is still open');
    if (this.fileCount === 0)
      throw new AppError('INVALID_ARGUMENT', 'unable to finish backup: no files were uploaded');
    if (this.manifest === undefined)
      throw new AppError(
        'INVALID_ARGUMENT',
        `unable to finish backup: '${MANIFEST_BLOB_NAME}' was not uploaded`,
      );
    await this.writer.finish(this.manifest);
    this.finished = true;
    this.out.log('successfully finished backup');
    return null;
  }

  /** The session ended: without a successful finish nothing of the snapshot stays. */
  async end(): Promise<void> {
    if (this.finished) return;
    for (const slot of this.slots.values()) await slot.writer.abort().catch(() => undefined);
    await this.writer.abort();
  }
}
