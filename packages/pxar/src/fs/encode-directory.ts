/**
 * `encodeDirectory`: a real directory tree → a pxar archive (v1, or v2 split with a payload
 * sink), with the PBS client's rules (see walker.ts), reporting every entry to an optional
 * catalog writer. The caller owns the catalog's archive-level directory: PBS wraps each archive
 * in `startDirectory("<name>.pxar.didx")` … `endDirectory()`.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import type { BackupCatalogWriter } from '../catalog/writer.js';
import { PxarEncoder, type Sink } from '../encoder/encoder.js';
import { generatePxarExcludesCli, parseExcludeArg } from './excludes.js';
import { MatchEntry } from './match-list.js';
import type { PayloadReuse } from './payload-reuse.js';
import { PatternError } from './pattern.js';
import { ALL_FEATURES, readMetadata, type MetadataFeatures } from './read-metadata.js';
import { Walker, isVirtualFileSystem, type WalkStats, type WalkWarning } from './walker.js';

export type { WalkStats, WalkWarning } from './walker.js';

/** PBS ENCODER_MAX_ENTRIES: entries held per open directory chain. */
export const ENCODER_MAX_ENTRIES = 1024 * 1024;

export interface EncodeDirectoryOptions {
  /** Makes a v2 split archive: file contents go to this sink (.ppxar). */
  payloadSink?: Sink;
  /** Receives one call per entry, in archive order. */
  catalog?: BackupCatalogWriter;
  /** `--exclude` patterns as PBS takes them (globs; `!` re-includes; trailing '/' = directories). */
  excludes?: readonly (string | Buffer)[];
  /** Read `.pxarexclude` files (default true). */
  pxarExcludeFiles?: boolean;
  /** Exclude `lost+found` (PBS `--skip-lost-and-found`). */
  skipLostAndFound?: boolean;
  /** Descend into other mounted file systems (default false: mount points stay empty). */
  allFileSystems?: boolean;
  entriesMax?: number;
  /** Which metadata to read (default: all). */
  features?: Partial<MetadataFeatures>;
  /** Owner of the `.pxarexclude-cli` entry (default: this process's uid/gid, as PBS). */
  cliFileOwner?: { uid: number; gid: number };
  /** v2: the payload offset where each regular file starts (PBS's suggested chunk boundaries). */
  onPayloadBoundary?: (payloadOffset: number) => void;
  /**
   * v2 only, `metadata` change detection: files unchanged since the previous archive reference
   * its payload chunks instead of being read (see payload-reuse.ts).
   */
  reuse?: PayloadReuse;
  /** Progress: called with each entry's archive path before it is encoded. */
  onEntry?: (path: string) => void;
  /** Called for everything that could not be read as it should (also returned). */
  onWarning?: (warning: WalkWarning) => void;
  signal?: AbortSignal;
  batchSize?: number;
}

export interface EncodeDirectoryResult {
  stats: WalkStats;
  warnings: WalkWarning[];
  formatVersion: 1 | 2;
  /** Bytes written to the archive (metadata) sink and to the payload sink. */
  archiveSize: number;
  payloadSize: number;
}

function cliPatterns(opts: EncodeDirectoryOptions): MatchEntry[] {
  const out: MatchEntry[] = [];
  for (const arg of opts.excludes ?? []) {
    try {
      out.push(parseExcludeArg(arg));
    } catch (err) {
      if (err instanceof PatternError)
        throw new AppError('INVALID_ARGUMENT', `invalid exclude pattern entry: ${err.message}`);
      throw err;
    }
  }
  if (opts.skipLostAndFound) out.push(MatchEntry.parse('lost+found', 'exclude'));
  return out;
}

/** Encodes the directory `root` into `sink`; see EncodeDirectoryOptions. */
export async function encodeDirectory(
  root: string,
  sink: Sink,
  opts: EncodeDirectoryOptions = {},
): Promise<EncodeDirectoryResult> {
  const rootPath = Buffer.from(nodePath.resolve(root));
  const st = fs.lstatSync(rootPath, { bigint: true });
  if (!st.isDirectory()) throw new AppError('INVALID_ARGUMENT', `${root}: not a directory`);
  if (isVirtualFileSystem(rootPath))
    throw new AppError('INVALID_ARGUMENT', `${root}: refusing to backup a virtual file system`);
  const warnings: WalkWarning[] = [];
  const warn = (w: WalkWarning): void => {
    warnings.push(w);
    opts.onWarning?.(w);
  };
  const features = { ...ALL_FEATURES, ...opts.features };
  const patterns = cliPatterns(opts);
  const split = opts.payloadSink !== undefined;
  const prelude =
    split && patterns.length > 0
      ? Buffer.from(
          JSON.stringify({ 'exclude-patterns': generatePxarExcludesCli(patterns).toString('utf8') }),
        )
      : undefined;
  const rootMeta = readMetadata(rootPath, st, features, (what, err) =>
    warn({ path: '/', message: `${what}: ${(err as Error).message}` }),
  );
  const encoder = await PxarEncoder.create(sink, rootMeta, {
    payloadSink: opts.payloadSink,
    prelude,
    batchSize: opts.batchSize,
  });
  const walker = new Walker(
    {
      encoder,
      catalog: opts.catalog ?? null,
      patterns,
      cliPatternCount: patterns.length,
      features,
      readExcludeFiles: opts.pxarExcludeFiles ?? true,
      allFileSystems: opts.allFileSystems ?? false,
      entriesMax: opts.entriesMax ?? ENCODER_MAX_ENTRIES,
      cliFileOwner: opts.cliFileOwner ?? { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 },
      onPayloadBoundary: opts.onPayloadBoundary ?? null,
      onEntry: opts.onEntry ?? null,
      reuse: split ? (opts.reuse ?? null) : null,
      warn,
      signal: opts.signal,
    },
    st.dev,
  );
  await walker.directoryContents(rootPath, Buffer.alloc(0), true);
  await walker.finishReuse();
  await encoder.finishDirectory();
  await encoder.close();
  return {
    stats: walker.stats,
    warnings,
    formatVersion: encoder.formatVersion,
    archiveSize: encoder.position,
    payloadSize: encoder.payloadPosition,
  };
}
