import { AppError } from '@pbs/api-types/errors';
import { CatalogWriter, encodeDirectory, PayloadReuser, type ReuseStats, type WalkWarning } from '@pbs/pxar';
import { formatHumanByte, type Digest, type ManifestFile } from '@pbs/datastore';
import { DynamicChunker } from '../chunker/chunk-stream.js';
import { PayloadChunker } from '../chunker/payload-chunker.js';
import type {
  ArchiveResult,
  ChangeDetectionMode,
  DirectoryArchiveContext,
  DirectoryArchiver,
} from './run-backup.js';
import type { UploadCounters } from './upload-stats.js';
import type { IndexUpload } from './upload-stream.js';
import type { BackupWriter } from './backup-writer.js';
import { CATALOG_NAME } from '../repo/names.js';
import { loadPreviousPayload } from './previous-payload.js';

/*
 * Directory sources as pxar archives (backup_directory + spawn_catalog_upload in PBS): the
 * encoder's output is chunked as it is produced (no temporary archive) and uploaded as
 * `<name>.pxar.didx`. Legacy mode writes format v1 and a catalog (`catalog.pcat1.didx`, 512 KiB
 * chunks, one directory per archive) uploaded after the last archive; `data` mode writes the v2
 * split archive `<name>.mpxar.didx` + `<name>.ppxar.didx`, whose payload chunks are cut at file
 * starts. `metadata` mode writes the same split archive, but files whose metadata and size are
 * unchanged since the previous snapshot's `.mpxar` are not read: their payload chunks are
 * appended to the new `.ppxar` index as known chunks (previous-payload.ts, @pbs/pxar
 * payload-reuse.ts for the rules).
 */

const CATALOG_CHUNK_SIZE = 512 * 1024;

export interface PxarArchiverOptions {
  readonly excludes: readonly string[];
  readonly changeDetectionMode: ChangeDetectionMode;
  /** average chunk size of the archive streams */
  readonly chunkSize: number;
  readonly skipLostAndFound: boolean;
  readonly allFileSystems: boolean;
  readonly entriesMax?: number;
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
}

interface Chunker {
  push(data: Buffer): Buffer[];
  finish(): Buffer | undefined;
}

/**
 * A pxar sink feeding a chunker and an open index upload. Chunks are handed over as owned: the
 * encoder never touches a buffer after passing it on, and a chunk is either a view into one
 * (not exclusive, so it is copied for a worker) or a fresh concatenation (moved to the worker).
 */
function chunkingSink(chunker: Chunker, upload: IndexUpload, onBytes?: () => void) {
  return {
    sink: async (buf: Buffer): Promise<void> => {
      for (const chunk of chunker.push(buf)) await upload.add(chunk, true);
      onBytes?.();
    },
    async close(): Promise<void> {
      const last = chunker.finish();
      if (last) await upload.add(last, true);
    },
  };
}

/**
 * Chunks in flight (digest, encode, upload): enough bytes to keep the server busy whatever the
 * chunk size — 8 at PBS's 4 MiB average, up to 128 for small chunks.
 */
export function defaultConcurrency(avgChunkSize: number): number {
  return Math.max(8, Math.min(128, Math.round((32 * 1024 * 1024) / avgChunkSize)));
}

/** PBS's "Change detection summary" lines. */
function reuseSummary(s: ReuseStats): string[] {
  const human = (n: number) => formatHumanByte(n);
  return [
    'Change detection summary:',
    ` - ${s.filesReused + s.filesReencoded} total files`,
    ` - ${s.filesReused} unchanged, reusable files with ${human(s.bytesReused)} data`,
    ` - ${s.filesReencoded} changed or non-reusable files with ${human(s.bytesReencoded)} data`,
    ` - ${human(Math.max(0, s.bytesInjected - s.bytesReused))} padding in ${s.chunksInjected} reused chunks`,
    ...(s.rangesRejected > 0
      ? [` - ${s.rangesRejected} runs of unchanged files re-encoded (chunk padding above 10 %)`]
      : []),
  ];
}

function stem(archive: string): string {
  if (!archive.endsWith('.pxar'))
    throw new AppError('INVALID_ARGUMENT', `unexpected suffix in target: ${archive}`);
  return archive.slice(0, -'.pxar'.length);
}

export function pxarArchiver(opts: PxarArchiverOptions): DirectoryArchiver {
  const split = opts.changeDetectionMode !== 'legacy';
  const reuseMode = opts.changeDetectionMode === 'metadata';
  let catalog: { writer: CatalogWriter; upload: IndexUpload; close: () => Promise<void> } | undefined;

  const open = (ctx: Omit<DirectoryArchiveContext, 'source'>, writer: BackupWriter, archive: string) => {
    const progress = (c: Readonly<UploadCounters>) =>
      ctx.onProgress({ archive, processed: c.size, sent: c.sentBytes });
    return writer.openIndex(archive, {
      kind: 'dynamic',
      encrypt: ctx.cryptMode === 'encrypt',
      ...(ctx.previous && { previous: ctx.previous }),
      concurrency: opts.concurrency ?? defaultConcurrency(opts.chunkSize),
      ...(opts.signal && { signal: opts.signal }),
      warn: ctx.log,
      onProgress: progress,
    });
  };

  const manifestEntry = (
    ctx: { cryptMode: ManifestFile['cryptMode'] },
    s: { archive: string; size: number; csum: string },
  ) => ({
    filename: s.archive,
    cryptMode: ctx.cryptMode,
    size: s.size,
    csum: s.csum,
  });

  return {
    async archive(ctx: DirectoryArchiveContext): Promise<ArchiveResult> {
      const base = stem(ctx.source.spec.archive);
      const name = split ? `${base}.mpxar.didx` : `${base}.pxar.didx`;
      if (!split && !catalog) {
        const upload = await open(ctx, ctx.writer, CATALOG_NAME);
        const sink = chunkingSink(new DynamicChunker(CATALOG_CHUNK_SIZE), upload);
        catalog = { writer: new CatalogWriter(sink.sink), upload, close: () => sink.close() };
      }
      const main = await open(ctx, ctx.writer, name);
      const mainSink = chunkingSink(new DynamicChunker(opts.chunkSize), main);
      let payload:
        { upload: IndexUpload; sink: ReturnType<typeof chunkingSink>; chunker: PayloadChunker } | undefined;
      if (split) {
        const upload = await open(ctx, ctx.writer, `${base}.ppxar.didx`);
        const chunker = new PayloadChunker(opts.chunkSize);
        payload = { upload, chunker, sink: chunkingSink(chunker, upload) };
      }
      let reuse: PayloadReuser | undefined;
      if (payload && reuseMode && ctx.previous && ctx.openPreviousReader) {
        const prev = await loadPreviousPayload(
          {
            previous: ctx.previous,
            openReader: ctx.openPreviousReader,
            ...(ctx.crypt && { crypt: ctx.crypt }),
            log: ctx.log,
          },
          base,
        );
        const p = payload;
        if (prev) {
          reuse = new PayloadReuser(prev.archive, prev.index, async (chunks) => {
            const last = p.chunker.inject(chunks.reduce((sum, c) => sum + c.size, 0));
            if (last) await p.upload.add(last, true);
            for (const c of chunks) await p.upload.addKnown(c.digest as Digest, c.size);
          });
        }
      }
      catalog?.writer.startDirectory(Buffer.from(name));
      const warn = (w: WalkWarning) => ctx.log(`warning: ${w.path}: ${w.message}`);
      await encodeDirectory(ctx.source.spec.source, mainSink.sink, {
        ...(catalog && { catalog: catalog.writer }),
        excludes: opts.excludes,
        skipLostAndFound: opts.skipLostAndFound,
        allFileSystems: opts.allFileSystems,
        ...(opts.entriesMax !== undefined && { entriesMax: opts.entriesMax }),
        ...(payload && {
          payloadSink: payload.sink.sink,
          onPayloadBoundary: (offset: number) => payload.chunker.suggest(offset),
        }),
        ...(reuse && { reuse }),
        onWarning: warn,
        ...(opts.signal && { signal: opts.signal }),
      });
      if (reuse) reuseSummary(reuse.stats).forEach((l) => ctx.log(l));
      await catalog?.writer.endDirectory();
      await mainSink.close();
      const stats = [await main.finish()];
      if (payload) {
        await payload.sink.close();
        stats.push(await payload.upload.finish());
      }
      // the payload archive is listed before the metadata archive, as PBS adds them
      const ordered = split ? [stats[1], stats[0]] : stats;
      return { files: ordered.map((s) => manifestEntry(ctx, s as (typeof stats)[0])), stats };
    },

    async finish(ctx): Promise<ArchiveResult> {
      if (!catalog) return { files: [], stats: [] };
      await catalog.writer.finish();
      await catalog.close();
      const stats = await catalog.upload.finish();
      ctx.log(`Uploaded backup catalog (${stats.size} bytes)`);
      return { files: [manifestEntry(ctx, stats)], stats: [] };
    },
  };
}
