/*
 * Rebuilding a media catalog from the tape itself (PBS `catalog` on a drive): the labels give
 * files 0 and 1, then every file is read: chunk archives give their digests (a cut last entry
 * is left out, as the writer did), complete snapshot archives their snapshot, catalog archives
 * and incomplete snapshot archives only advance the file number. The result replaces the
 * catalog on disk and the medium's labels go into the inventory.
 */
import { AppError } from '@pbs/api-types/errors';
import { readChunkArchive } from '../format/archives.js';
import { contentKindOf } from '../format/constants.js';
import type { MediaId } from '../format/labels.js';
import type { Inventory } from '../state/inventory.js';
import { MediaCatalog } from '../state/media-catalog.js';
import {
  driveKeyFor,
  type OpenDrive,
  type TapeContext,
  type TapeDevice,
  type TapeKeyLookup,
} from './context.js';
import { openNextFile, readMediaId } from './media-io.js';

export async function scanTapeCatalog(
  ctx: TapeContext,
  drive: OpenDrive,
  what: string,
  encryptionKeys?: TapeKeyLookup,
): Promise<{ id: MediaId; catalog: MediaCatalog }> {
  drive.setEncryptionKey(null);
  const id = await readMediaId(drive, what);
  if (!id) throw new AppError('INVALID_ARGUMENT', `${what}: media is empty (no label)`);
  const catalog = new MediaCatalog(`'${id.label.label_text}'`);
  catalog.registerLabel(id.label.uuid, 0, 0);
  if (!id.media_set_label) return { id, catalog };
  catalog.registerLabel(id.media_set_label.uuid, id.media_set_label.seq_nr, 1);
  drive.setEncryptionKey(await driveKeyFor(encryptionKeys, id.media_set_label));
  for (let fileNumber = 2; ; fileNumber++) {
    ctx.signal.throwIfAborted();
    const where = `${what} file ${fileNumber}`;
    const file = await openNextFile(drive, where);
    if (!file) break;
    try {
      const kind = file.header ? contentKindOf(file.header.contentMagic) : undefined;
      const data = (file.header?.data ?? {}) as { store?: unknown; snapshot?: unknown };
      if (kind === 'chunk-archive' && typeof data.store === 'string' && file.header) {
        catalog.startChunkArchive(file.header.uuid, fileNumber, data.store);
        let n = 0;
        for await (const { digest } of readChunkArchive(file.reader, where)) {
          catalog.registerChunk(digest);
          n += 1;
        }
        catalog.endChunkArchive();
        ctx.log(`file ${fileNumber}: chunk archive of '${data.store}' with ${n} chunks`);
      } else if (
        kind === 'snapshot-archive' &&
        typeof data.store === 'string' &&
        typeof data.snapshot === 'string' &&
        file.header
      ) {
        await file.reader.skipRest();
        if (file.reader.incomplete) {
          catalog.skipFile(fileNumber);
          ctx.log(
            `file ${fileNumber}: incomplete snapshot archive ${data.snapshot} (continued on the next tape)`,
          );
        } else {
          catalog.registerSnapshot(file.header.uuid, fileNumber, data.store, data.snapshot);
          ctx.log(`file ${fileNumber}: snapshot ${data.store}:${data.snapshot}`);
        }
      } else if (kind === 'catalog-archive') {
        catalog.skipFile(fileNumber);
      } else {
        throw new AppError('CORRUPT_DATA', `${where}: unknown content`);
      }
    } finally {
      await file.reader.close();
    }
  }
  return { id, catalog };
}

/** Loads a medium (by label, or the one in the drive) and rebuilds its catalog from the tape. */
export async function restoreCatalog(
  ctx: TapeContext,
  opts: {
    device: TapeDevice;
    inventory: Inventory;
    stateDir: string;
    labelText?: string;
    encryptionKeys?: TapeKeyLookup;
  },
): Promise<{ id: MediaId; snapshots: number; chunks: number }> {
  const { device, inventory } = opts;
  if (opts.labelText !== undefined) await device.changer.loadMedia(opts.labelText, device.drivenum);
  const drive = await device.openDrive();
  try {
    const loaded = (await drive.status()).loaded;
    if (loaded === null) throw new AppError('INVALID_ARGUMENT', `drive '${device.driveName}' is empty`);
    const { id, catalog } = await scanTapeCatalog(
      ctx,
      drive,
      `tape '${loaded}' in drive '${device.driveName}'`,
      opts.encryptionKeys,
    );
    await catalog.save(opts.stateDir);
    await inventory.store(id, false);
    await inventory.updateOnline(device.changerName, await device.changer.onlineMedia());
    ctx.log(
      `catalog of '${id.label.label_text}' restored: ${catalog.snapshots().length} snapshots, ${catalog.chunkCount()} chunks`,
    );
    return { id, snapshots: catalog.snapshots().length, chunks: catalog.chunkCount() };
  } finally {
    drive.close();
  }
}
