import fs from 'node:fs/promises';
import { AppError } from '@pbs/api-types/errors';
import { extractArchive, PxarDecoder, type RestoreProblem } from '@pbs/pxar';
import { lookupManifestFile, type CryptConfig, type IndexFile } from '@pbs/datastore';
import type { CodecPool } from '../codec/codec-pool.js';
import type { BackupReader } from './backup-reader.js';
import { readChunks } from './chunk-reader.js';
import type { DirectoryExtractContext, DirectoryExtractor } from './run-restore.js';

/*
 * pxar restore (restore in main.rs with pbs-client pxar extract): the archive's chunks stream
 * into the pxar decoder (for split archives the payload archive as a second stream), and
 * extractArchive writes the tree with its metadata. Memory stays bounded by the chunk prefetch;
 * the archive is never assembled. What could not be restored is reported; the restore fails
 * unless every problem is one the options asked to tolerate.
 */

export interface PxarExtractorOptions {
  readonly patterns: readonly string[];
  readonly allowExistingDirs: boolean;
  readonly ignoreAcls: boolean;
  readonly ignoreXattrs: boolean;
  readonly ignoreOwnership: boolean;
  readonly ignorePermissions: boolean;
  readonly overwriteFiles: boolean;
  readonly overwriteSymlinks: boolean;
  readonly overwriteHardlinks: boolean;
  readonly ignoreExtractDeviceErrors: boolean;
  readonly preludeTarget?: string;
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
}

async function* archiveBytes(
  reader: BackupReader,
  index: IndexFile,
  cryptMode: 'none' | 'encrypt' | 'sign-only',
  crypt: CryptConfig | undefined,
  concurrency: number | undefined,
  codec: CodecPool | undefined,
  onBytes: (n: number) => void,
): AsyncGenerator<Buffer> {
  for await (const chunk of readChunks(reader, index, {
    cryptMode,
    ...(crypt && { crypt }),
    ...(concurrency !== undefined && { concurrency }),
    ...(codec && { codec }),
  })) {
    onBytes(chunk.data.length);
    yield chunk.data;
  }
}

const isDeviceProblem = (p: RestoreProblem) => /device|fifo|socket/i.test(p.what);

export function pxarExtractor(opts: PxarExtractorOptions): DirectoryExtractor {
  return async (ctx: DirectoryExtractContext) => {
    const open = async (name: string) => {
      const index = await ctx.reader.downloadIndex(ctx.manifest, name);
      return { index, cryptMode: lookupManifestFile(ctx.manifest, name).cryptMode };
    };
    const main = await open(ctx.archive);
    const payload = ctx.payloadArchive !== undefined ? await open(ctx.payloadArchive) : undefined;
    const total = main.index.indexBytes + (payload?.index.indexBytes ?? 0);
    let done = 0;
    const onBytes = (n: number) => {
      done += n;
      ctx.onProgress?.(done, total);
    };
    const bytes = (x: { index: IndexFile; cryptMode: 'none' | 'encrypt' | 'sign-only' }) =>
      archiveBytes(ctx.reader, x.index, x.cryptMode, ctx.crypt, opts.concurrency, ctx.codec, onBytes);
    const decoder = new PxarDecoder(bytes(main), {
      name: ctx.archive,
      ...(payload && { payload: bytes(payload) }),
    });
    const result = await extractArchive(decoder, ctx.target, {
      patterns: opts.patterns,
      allowExistingDirs: opts.allowExistingDirs,
      overwrite: {
        files: opts.overwriteFiles,
        symlinks: opts.overwriteSymlinks,
        hardlinks: opts.overwriteHardlinks,
      },
      features: {
        ...(opts.ignoreAcls && { acls: false }),
        ...(opts.ignoreXattrs && { xattrs: false, fcaps: false }),
        ...(opts.ignoreOwnership && { owner: false }),
        ...(opts.ignorePermissions && { permissions: false }),
      },
      onProblem: (p) => ctx.log(`warning: ${p.path}: unable to restore ${p.what}: ${p.message}`),
      ...(opts.signal && { signal: opts.signal }),
    });
    if (opts.preludeTarget !== undefined && result.prelude) {
      await fs.writeFile(opts.preludeTarget, result.prelude, { flag: 'wx' });
    }
    const fatal = result.problems.filter((p) => !(opts.ignoreExtractDeviceErrors && isDeviceProblem(p)));
    if (fatal.length > 0) {
      throw new AppError(
        'INTERNAL',
        `error extracting archive - ${fatal.length} entries or attributes could not be restored (see the warnings above)`,
      );
    }
  };
}
