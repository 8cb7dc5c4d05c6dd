/*
 * Writing a media set (PBS pool_writer): keeps one writable medium loaded, continues on the
 * next one the pool allocates when a tape reports LEOM, and records every file in the medium's
 * media catalog, committed after each archive. A medium new to the set gets its media-set
 * label (file 1, erasing anything after it) and the catalogs of the set's earlier media as
 * catalog archives; a medium being continued must carry the expected labels and is appended at
 * its end of data. The "catalog set" (chunks and snapshots of all media of the set) keeps a
 * chunk or snapshot from being written twice into one set.
 */
import { AppError } from '@pbs/api-types/errors';
import { MAX_CHUNK_ARCHIVE_SIZE } from '../format/constants.js';
import {
  ChunkArchiveWriter,
  writeCatalogArchive,
  writeSnapshotArchive,
  type SnapshotFile,
} from '../format/archives.js';
import type { MediaId } from '../format/labels.js';
import type { Inventory } from '../state/inventory.js';
import { MediaCatalog } from '../state/media-catalog.js';
import type { MediaPool } from '../state/media-pool.js';
import {
  driveKeyFor,
  type OpenDrive,
  type TapeContext,
  type TapeDevice,
  type TapeKeyLookup,
} from './context.js';
import { readMediaId, writeMediaSetLabel } from './media-io.js';

export interface PendingChunk {
  digest: string;
  /** the raw DataBlob */
  load(): Promise<Buffer>;
}

interface CurrentMedia {
  id: MediaId;
  catalog: MediaCatalog;
  /** files this session wrote to this medium */
  written: number;
}

/** loads a medium and checks that the tape in the drive is the one the inventory means */
export async function loadAndCheckMedia(
  device: TapeDevice,
  drive: OpenDrive,
  expected: MediaId,
): Promise<MediaId> {
  const label = expected.label.label_text;
  await device.changer.loadMedia(label, device.drivenum);
  drive.setEncryptionKey(null); // labels are never encrypted
  const onTape = await readMediaId(drive, `tape '${label}' in drive '${device.driveName}'`);
  if (!onTape) {
    throw new AppError('INVALID_ARGUMENT', `media '${label}' in drive '${device.driveName}' is not labeled`);
  }
  if (onTape.label.uuid !== expected.label.uuid) {
    throw new AppError(
      'INVALID_ARGUMENT',
      `wrong media in drive '${device.driveName}': expected '${label}' (${expected.label.uuid}), ` +
        `found '${onTape.label.label_text}' (${onTape.label.uuid})`,
    );
  }
  return onTape;
}

export class PoolWriter {
  private media: CurrentMedia | null = null;
  private readonly setChunks = new Map<string, Set<string>>();
  private readonly setSnapshots = new Set<string>();
  /** labels of the media written in this session, in order */
  readonly usedMedia: string[] = [];
  chunksWritten = 0;
  bytesWritten = 0;

  private constructor(
    private readonly device: TapeDevice,
    private readonly drive: OpenDrive,
    private readonly pool: MediaPool,
    private readonly inventory: Inventory,
    private readonly stateDir: string,
    private readonly ctx: TapeContext,
    private readonly keys: TapeKeyLookup | undefined,
  ) {}

  static async start(opts: {
    device: TapeDevice;
    pool: MediaPool;
    inventory: Inventory;
    stateDir: string;
    ctx: TapeContext;
    forceMediaSet?: boolean;
    encryptionKeys?: TapeKeyLookup;
  }): Promise<PoolWriter> {
    const { ctx, pool } = opts;
    if (pool.encrypt !== undefined && !(await opts.encryptionKeys?.(pool.encrypt))) {
      throw new AppError(
        'NOT_FOUND',
        `pool '${pool.name}': tape encryption key ${pool.encrypt} is not on this server`,
      );
    }
    const reason = await pool.startWriteSession(ctx.nowSec(), opts.forceMediaSet === true);
    if (reason !== null) ctx.log(`starting new media set - reason: ${reason}`);
    ctx.log(`media set uuid: ${pool.currentMediaSet}`);
    const drive = await opts.device.openDrive();
    const writer = new PoolWriter(
      opts.device,
      drive,
      pool,
      opts.inventory,
      opts.stateDir,
      ctx,
      opts.encryptionKeys,
    );
    try {
      for (const uuid of reason === null ? pool.currentMediaList() : []) await writer.addToCatalogSet(uuid);
    } catch (err) {
      drive.close();
      throw err;
    }
    return writer;
  }

  private async addToCatalogSet(mediaUuid: string): Promise<void> {
    const catalog = await MediaCatalog.load(this.stateDir, mediaUuid);
    if (!catalog) {
      const label = this.inventory.lookup(mediaUuid)?.id.label.label_text ?? mediaUuid;
      throw new AppError(
        'NOT_FOUND',
        `media catalog of '${label}' is missing - restore the catalog from tape first`,
      );
    }
    for (const snap of catalog.snapshots()) this.setSnapshots.add(`${snap.store}:${snap.snapshot}`);
    this.mergeChunks(catalog);
  }

  private mergeChunks(catalog: MediaCatalog): void {
    for (const [store, digests] of catalog.chunkDigests()) {
      let set = this.setChunks.get(store);
      if (!set) this.setChunks.set(store, (set = new Set()));
      for (const d of digests) set.add(d);
    }
  }

  containsSnapshot(store: string, snapshot: string): boolean {
    return this.setSnapshots.has(`${store}:${snapshot}`);
  }

  containsChunk(store: string, digest: string): boolean {
    return this.setChunks.get(store)?.has(digest) ?? false;
  }

  private async loadWritableMedia(): Promise<CurrentMedia> {
    if (this.media) return this.media;
    const now = this.ctx.nowSec();
    const { id, added } = await this.pool.allocWritableMedia(now);
    const label = id.label.label_text;
    const set = id.media_set_label;
    if (!set) throw new AppError('INTERNAL', `media '${label}' got no media set label`);
    this.ctx.log(`${added ? 'allocated' : 'continue with'} media '${label}' (media set seq ${set.seq_nr})`);
    const onTape = await loadAndCheckMedia(this.device, this.drive, id);
    let catalog: MediaCatalog;
    const driveKey = await driveKeyFor(this.keys, set);
    if (driveKey) this.ctx.log(`drive encryption on (key ${set.encryption_key_fingerprint ?? ''})`);
    if (added) {
      await writeMediaSetLabel(this.drive, set);
      this.drive.setEncryptionKey(driveKey);
      catalog = new MediaCatalog(`'${label}'`);
      catalog.registerLabel(id.label.uuid, 0, 0);
      catalog.registerLabel(set.uuid, set.seq_nr, 1);
      await catalog.save(this.stateDir);
      for (const prev of this.pool.currentMediaList().slice(0, set.seq_nr)) {
        const prevCatalog = await MediaCatalog.load(this.stateDir, prev);
        const prevId = this.inventory.lookup(prev)?.id;
        if (!prevCatalog || !prevId?.media_set_label) continue;
        const fileNumber = await this.drive.currentFileNumber();
        await writeCatalogArchive(this.drive, {
          mediaUuid: prev,
          mediaSetUuid: set.uuid,
          seqNr: prevId.media_set_label.seq_nr,
          catalog: prevCatalog.encode(),
          ctime: now,
        });
        catalog.skipFile(fileNumber);
      }
      await catalog.save(this.stateDir);
    } else {
      if (onTape.media_set_label?.uuid !== set.uuid) {
        throw new AppError(
          'INVALID_ARGUMENT',
          `media '${label}': the media set label on tape (${onTape.media_set_label?.uuid ?? 'none'}) is not the expected set ${set.uuid}`,
        );
      }
      const loaded = await MediaCatalog.load(this.stateDir, id.label.uuid);
      if (!loaded)
        throw new AppError(
          'NOT_FOUND',
          `media catalog of '${label}' is missing - restore the catalog from tape first`,
        );
      catalog = loaded;
      this.drive.setEncryptionKey(driveKey);
      await this.drive.moveToEndOfData();
      const pos = await this.drive.currentFileNumber();
      if (pos <= catalog.lastFileNumber) {
        throw new AppError(
          'CORRUPT_DATA',
          `media '${label}': tape ends at file ${pos}, the catalog knows file ${catalog.lastFileNumber}`,
        );
      }
    }
    if (!this.usedMedia.includes(label)) this.usedMedia.push(label);
    this.media = { id, catalog, written: 0 };
    return this.media;
  }

  private async updateBytesUsed(media: CurrentMedia): Promise<void> {
    const status = await this.drive.status();
    if (status.bytesUsed !== null) await this.inventory.setBytesUsed(media.id.label.uuid, status.bytesUsed);
  }

  /** the tape reported LEOM: commit its catalog, mark it full, move on */
  private async markFull(): Promise<void> {
    const media = this.media;
    if (!media) return;
    await media.catalog.save(this.stateDir);
    await this.updateBytesUsed(media);
    await this.pool.setMediaFull(media.id.label.uuid);
    this.ctx.log(`media '${media.id.label.label_text}' is full`);
    this.media = null;
  }

  /** Writes the chunks (those not yet in the set) as chunk archives, across tapes as needed. */
  async writeChunks(store: string, chunks: readonly PendingChunk[]): Promise<number> {
    let set = this.setChunks.get(store);
    if (!set) this.setChunks.set(store, (set = new Set()));
    const todo = chunks.filter((c) => !set.has(c.digest));
    let i = 0;
    let written = 0;
    while (i < todo.length) {
      this.ctx.signal.throwIfAborted();
      const media = await this.loadWritableMedia();
      const fileNumber = await this.drive.currentFileNumber();
      const archive = await ChunkArchiveWriter.begin(this.drive, store, this.ctx.nowSec());
      media.catalog.startChunkArchive(archive.uuid, fileNumber, store);
      let count = 0;
      const fresh = media.written === 0;
      while (i < todo.length && !archive.closed && archive.bytesWritten < MAX_CHUNK_ARCHIVE_SIZE) {
        const chunk = todo[i] as PendingChunk;
        const blob = await chunk.load();
        if (!(await archive.tryWriteChunk(chunk.digest, blob))) {
          if (fresh && count === 0) {
            throw new AppError(
              'INVALID_ARGUMENT',
              `chunk ${chunk.digest} (${blob.length} bytes) does not fit on an empty tape`,
            );
          }
          break;
        }
        media.catalog.registerChunk(chunk.digest);
        set.add(chunk.digest);
        this.bytesWritten += blob.length;
        i += 1;
        count += 1;
      }
      const leom = archive.closed ? true : await archive.finish();
      media.catalog.endChunkArchive();
      media.written += 1;
      await media.catalog.save(this.stateDir);
      written += count;
      this.ctx.log(`wrote ${count} chunks to '${media.id.label.label_text}' file ${fileNumber}`);
      if (leom) await this.markFull();
    }
    this.chunksWritten += written;
    return written;
  }

  /** Writes a snapshot archive, again on the next tape when LEOM cut it. */
  async writeSnapshot(
    store: string,
    snapshot: string,
    rootNamespace: boolean,
    files: readonly SnapshotFile[],
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      this.ctx.signal.throwIfAborted();
      const media = await this.loadWritableMedia();
      const fileNumber = await this.drive.currentFileNumber();
      const uuid = await writeSnapshotArchive(this.drive, {
        store,
        snapshot,
        rootNamespace,
        files,
        ctime: this.ctx.nowSec(),
      });
      if (uuid === null) {
        media.catalog.skipFile(fileNumber);
        this.ctx.log(
          `snapshot archive ${snapshot} did not fit on '${media.id.label.label_text}' - continue on the next tape`,
        );
        const fresh = media.written === 0;
        await this.markFull();
        if (fresh && attempt > 0) {
          throw new AppError('INVALID_ARGUMENT', `snapshot archive ${snapshot} does not fit on one tape`);
        }
        continue;
      }
      media.catalog.registerSnapshot(uuid, fileNumber, store, snapshot);
      media.written += 1;
      await media.catalog.save(this.stateDir);
      this.setSnapshots.add(`${store}:${snapshot}`);
      this.bytesWritten += files.reduce((n, f) => n + f.data.length, 0);
      return;
    }
  }

  /** Ends the session: a catalog archive on the current tape, catalogs committed. */
  async finish(): Promise<void> {
    const media = this.media;
    if (!media) return;
    const set = media.id.media_set_label;
    if (set) {
      const fileNumber = await this.drive.currentFileNumber();
      try {
        const leom = await writeCatalogArchive(this.drive, {
          mediaUuid: media.id.label.uuid,
          mediaSetUuid: set.uuid,
          seqNr: set.seq_nr,
          catalog: media.catalog.encode(),
          ctime: this.ctx.nowSec(),
        });
        media.catalog.skipFile(fileNumber);
        if (leom) {
          await this.markFull();
          return;
        }
      } catch (err) {
        if ((err as AppError).code !== 'BACKEND_UNAVAILABLE') throw err;
        await this.markFull();
        return;
      }
    }
    await media.catalog.save(this.stateDir);
    await this.updateBytesUsed(media);
  }

  close(): void {
    this.drive.close();
  }
}
