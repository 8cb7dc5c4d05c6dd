import { AppError } from '@pbs/api-types/errors';
import { DynamicIndexReader, type BackupManifest, type CryptConfig } from '@pbs/datastore';
import { PreviousMetadataArchive, PxarDecoder, type PreviousPayloadIndex } from '@pbs/pxar';
import { readChunks } from '../reader/chunk-reader.js';
import type { BackupReader } from '../reader/backup-reader.js';

/*
 * The reference for `metadata` change detection (PBS: the previous snapshot's metadata archive
 * read through a reader session, its payload index for chunk lookups): `<name>.mpxar.didx` is
 * streamed chunk by chunk through the pxar decoder into a table of its regular files, and
 * `<name>.ppxar.didx` becomes the chunk list reused payload is cut from. Both are checked
 * against the previous manifest. Missing archives (the previous backup used another mode) or an
 * encrypted previous snapshot without the key mean: no reference, every file is read.
 */

export interface PreviousPayload {
  readonly archive: PreviousMetadataArchive;
  readonly index: PreviousPayloadIndex;
}

export interface PreviousPayloadContext {
  readonly previous: BackupManifest;
  readonly openReader: () => Promise<BackupReader>;
  readonly crypt?: CryptConfig;
  readonly log: (line: string) => void;
}

export async function loadPreviousPayload(
  ctx: PreviousPayloadContext,
  stem: string,
): Promise<PreviousPayload | null> {
  const metaName = `${stem}.mpxar.didx`;
  const payloadName = `${stem}.ppxar.didx`;
  const metaFile = ctx.previous.files.find((f) => f.filename === metaName);
  if (!metaFile || !ctx.previous.files.some((f) => f.filename === payloadName)) {
    ctx.log(`No previous metadata archive '${metaName}': every file is read and re-encoded`);
    return null;
  }
  if (metaFile.cryptMode === 'encrypt' && !ctx.crypt) {
    ctx.log(`Previous '${metaName}' is encrypted and no key is given: every file is re-encoded`);
    return null;
  }
  const reader = await ctx.openReader();
  try {
    const metaIndex = await reader.downloadIndex(ctx.previous, metaName);
    const payloadIndex = await reader.downloadIndex(ctx.previous, payloadName);
    if (!(payloadIndex instanceof DynamicIndexReader)) {
      throw new AppError('CORRUPT_DATA', `previous '${payloadName}' is not a dynamic index`);
    }
    const chunks = readChunks(reader, metaIndex, {
      cryptMode: metaFile.cryptMode,
      ...(ctx.crypt && { crypt: ctx.crypt }),
    });
    async function* bytes(): AsyncGenerator<Buffer> {
      for await (const c of chunks) yield c.data;
    }
    const archive = await PreviousMetadataArchive.load(new PxarDecoder(bytes(), { name: metaName }));
    ctx.log(`Using previous index as metadata reference for '${metaName}' (${archive.fileCount} files)`);
    const index: PreviousPayloadIndex = {
      count: payloadIndex.count,
      chunkEnd: (pos) => payloadIndex.chunkEnd(pos),
      digest: (pos) => payloadIndex.digestAt(pos) as string,
    };
    return { archive, index };
  } finally {
    await reader.close().catch(() => reader.destroy());
  }
}
