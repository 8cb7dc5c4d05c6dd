/*
 * The three kinds of data file on a tape (pbs-formats §12.2):
 * - chunk archive v1.1: header {"store"}, then `entry header (magic, digest, u64 LE raw size) |
 *   DataBlob` repeated. At LEOM the writer ends the file after the current 256 KiB piece, so
 *   the last entry may be cut; a cut entry is not in the catalog and is written again on the
 *   next tape; readers stop at it.
 * - snapshot archive v1.1 (root namespace) / v1.2: header {"snapshot", "store"}, then a pxar
 *   archive (root dir mode 0664) of the snapshot's files. At LEOM the file is ended INCOMPLETE
 *   and the whole archive is written again on the next tape.
 * - catalog archive v1.1: header {"uuid", "media_set_uuid", "seq_nr"}, then a media catalog;
 *   cut at LEOM it is ended INCOMPLETE and readers ignore it.
 */
import { AppError } from '@pbs/api-types/errors';
import { PxarDecoder, PxarEncoder, makeMetadata } from '@pbs/pxar';
import type { TapeDrive } from '../drive/port.js';
import { BlockedWriter, type BlockedReader } from './block.js';
import {
  CATALOG_ARCHIVE_MAGIC_1_1,
  CHUNK_ARCHIVE_ENTRY_MAGIC,
  CHUNK_ARCHIVE_MAGIC_1_1,
  SNAPSHOT_ARCHIVE_MAGIC_1_1,
  SNAPSHOT_ARCHIVE_MAGIC_1_2,
  BLOCK_PAYLOAD_SIZE,
} from './constants.js';
import { encodeContentHeader } from './content-header.js';

export const CHUNK_ENTRY_HEADER_SIZE = 48;

export class ChunkArchiveWriter {
  private writer: BlockedWriter | null;
  private written = 0;

  private constructor(
    writer: BlockedWriter,
    readonly uuid: string,
  ) {
    this.writer = writer;
  }

  static async begin(drive: TapeDrive, store: string, ctime: number): Promise<ChunkArchiveWriter> {
    const writer = new BlockedWriter(await drive.writeFile());
    const { bytes, uuid } = encodeContentHeader(CHUNK_ARCHIVE_MAGIC_1_1, { store }, { ctime });
    await writer.write(bytes);
    return new ChunkArchiveWriter(writer, uuid);
  }

  /** the file was ended at LEOM: no more chunks fit on this tape */
  get closed(): boolean {
    return this.writer === null;
  }

  get bytesWritten(): number {
    return this.writer?.bytesWritten ?? this.written;
  }

  /**
   * Appends one chunk (its raw DataBlob). Resolves false when the chunk did not fully make it
   * (the file was ended at LEOM); after true the archive may also be closed.
   */
  async tryWriteChunk(digest: string, blob: Buffer): Promise<boolean> {
    const writer = this.writer;
    if (!writer) return false;
    const head = Buffer.alloc(CHUNK_ENTRY_HEADER_SIZE);
    CHUNK_ARCHIVE_ENTRY_MAGIC.copy(head, 0);
    Buffer.from(digest, 'hex').copy(head, 8);
    head.writeBigUInt64LE(BigInt(blob.length), 40);
    if (await writer.write(head)) {
      await this.close();
      return false;
    }
    // pieces of one block payload: a write flushes at most one block, so after LEOM only the
    // end-of-stream block follows (the emulated drive allows exactly one more)
    for (let start = 0; start < blob.length; start += BLOCK_PAYLOAD_SIZE) {
      const end = Math.min(blob.length, start + BLOCK_PAYLOAD_SIZE);
      const leom = await writer.write(blob.subarray(start, end));
      if (leom) {
        await this.close();
        return end === blob.length;
      }
    }
    return true;
  }

  private async close(): Promise<boolean> {
    const writer = this.writer;
    if (!writer) return true;
    this.writer = null;
    const leom = await writer.finish(false);
    this.written = writer.bytesWritten;
    return leom;
  }

  /** ends the archive; resolves true at LEOM */
  async finish(): Promise<boolean> {
    return this.close();
  }
}

/** The chunks of a chunk archive after its header; stops at a cut last entry. */
export async function* readChunkArchive(
  reader: BlockedReader,
  where: string,
): AsyncGenerator<{ digest: string; blob: Buffer }> {
  for (;;) {
    const head = await reader.read(CHUNK_ENTRY_HEADER_SIZE);
    if (head.length === 0) return;
    if (head.length < CHUNK_ENTRY_HEADER_SIZE) return; // cut at LEOM
    if (!head.subarray(0, 8).equals(CHUNK_ARCHIVE_ENTRY_MAGIC)) {
      throw new AppError('CORRUPT_DATA', `${where}: wrong chunk archive entry magic`);
    }
    const size = Number(head.readBigUInt64LE(40));
    if (size > 16 * 1024 * 1024 + 64)
      throw new AppError('CORRUPT_DATA', `${where}: chunk entry size ${size} too large`);
    const blob = await reader.read(size);
    if (blob.length < size) return; // cut at LEOM
    yield { digest: head.subarray(8, 40).toString('hex'), blob };
  }
}

export interface SnapshotFile {
  name: string;
  data: Buffer;
}

class LeomReached extends Error {}

/**
 * Writes a snapshot archive; resolves the content UUID, or null when LEOM came first (the file
 * is ended INCOMPLETE and must be written again on the next tape).
 */
export async function writeSnapshotArchive(
  drive: TapeDrive,
  opts: {
    store: string;
    snapshot: string;
    rootNamespace: boolean;
    files: readonly SnapshotFile[];
    ctime: number;
  },
): Promise<string | null> {
  const writer = new BlockedWriter(await drive.writeFile());
  const magic = opts.rootNamespace ? SNAPSHOT_ARCHIVE_MAGIC_1_1 : SNAPSHOT_ARCHIVE_MAGIC_1_2;
  const { bytes, uuid } = encodeContentHeader(
    magic,
    { snapshot: opts.snapshot, store: opts.store },
    { ctime: opts.ctime },
  );
  try {
    if (await writer.write(bytes)) throw new LeomReached();
    const sink = async (chunk: Buffer) => {
      if (await writeSliced(writer, chunk)) throw new LeomReached();
    };
    const mtime = { secs: opts.ctime, nanos: 0 };
    const encoder = await PxarEncoder.create(sink, makeMetadata({ mode: 0o040664, mtime }));
    for (const file of opts.files) {
      await encoder.addFile(makeMetadata({ mode: 0o100644, mtime }), file.name, file.data.length, file.data);
    }
    await encoder.finishDirectory();
    await encoder.close();
  } catch (err) {
    if (err instanceof LeomReached) {
      await writer.finish(true);
      return null;
    }
    throw err;
  }
  await writer.finish(false);
  return uuid;
}

/** The files of a snapshot archive after its header. */
export async function readSnapshotArchive(reader: BlockedReader, where: string): Promise<SnapshotFile[]> {
  const decoder = new PxarDecoder(reader, { name: where });
  const files: SnapshotFile[] = [];
  for (;;) {
    const entry = await decoder.next();
    if (!entry) break;
    if (entry.kind.type === 'directory') continue;
    if (entry.kind.type !== 'file')
      throw new AppError('CORRUPT_DATA', `${where}: unexpected entry '${entry.path}'`);
    files.push({ name: entry.path.replace(/^\//, ''), data: await decoder.readContents() });
  }
  if (reader.incomplete) throw new AppError('CORRUPT_DATA', `${where}: snapshot archive is incomplete`);
  return files;
}

export async function writeCatalogArchive(
  drive: TapeDrive,
  opts: { mediaUuid: string; mediaSetUuid: string; seqNr: number; catalog: Buffer; ctime: number },
): Promise<boolean> {
  const writer = new BlockedWriter(await drive.writeFile());
  const header = { uuid: opts.mediaUuid, media_set_uuid: opts.mediaSetUuid, seq_nr: opts.seqNr };
  const { bytes } = encodeContentHeader(CATALOG_ARCHIVE_MAGIC_1_1, header, { ctime: opts.ctime });
  if ((await writer.write(bytes)) || (await writeSliced(writer, opts.catalog))) {
    await writer.finish(true);
    return true;
  }
  return writer.finish(false);
}

/** Writes in block-payload slices; stops and resolves true as soon as LEOM is reported. */
async function writeSliced(writer: BlockedWriter, data: Buffer): Promise<boolean> {
  for (let start = 0; start < data.length; start += BLOCK_PAYLOAD_SIZE) {
    if (await writer.write(data.subarray(start, start + BLOCK_PAYLOAD_SIZE))) return true;
  }
  return false;
}
