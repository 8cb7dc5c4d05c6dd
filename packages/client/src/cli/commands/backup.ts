import os from 'node:os';
import { AppError } from '@pbs/api-types/errors';
import { checkGroup } from '@pbs/datastore';
import type { Command } from 'commander';
import {
  runBackup,
  type BackupResult,
  type ChangeDetectionMode,
  type DirectoryArchiver,
} from '../../backup/run-backup.js';
import { DEFAULT_AVG_CHUNK_SIZE } from '../../chunker/buzhash-chunker.js';
import { parseBackupSpec } from '../../repo/names.js';
import { checkSources } from '../../backup/backup-sources.js';
import {
  connect,
  cryptoOf,
  log,
  namespaceOf,
  print,
  type CliContext,
  type CryptoOptions,
  type RepoOptions,
} from '../context.js';
import { collect, cryptoOptions, outputOption, repoOptions } from '../options.js';
import { formatJson, parseOutputFormat } from '../output.js';
import { createProgressLine } from '../progress.js';

/*
 * `backup <name>.<pxar|img|conf|log>:<path> …` (create_backup). Directory archives go through
 * the pxar archiver given by the composition root.
 */

interface BackupOptions extends RepoOptions, CryptoOptions {
  backupType: string;
  backupId?: string;
  backupTime?: string;
  exclude?: string[];
  changeDetectionMode?: string;
  chunkSize?: string;
  skipLostAndFound?: boolean;
  allFileSystems?: boolean;
  entriesMax?: string;
  dryRun?: boolean;
  cache?: boolean;
  concurrency?: string;
  encodeWorkers?: string;
  outputFormat?: string;
}

export interface DirectoryArchiverOptions {
  readonly excludes: readonly string[];
  readonly changeDetectionMode: ChangeDetectionMode;
  readonly chunkSize: number;
  readonly skipLostAndFound: boolean;
  readonly allFileSystems: boolean;
  readonly entriesMax?: number;
  readonly concurrency?: number;
}

export type DirectoryArchiverFactory = (opts: DirectoryArchiverOptions) => DirectoryArchiver;

const CHUNK_SIZES = [64, 128, 256, 512, 1024, 2048, 4096];

function nodename(hostname: string): string {
  return hostname.split('.')[0] ?? hostname;
}

function parseChangeDetection(mode: string | undefined): ChangeDetectionMode {
  const m = mode ?? 'legacy';
  if (m === 'legacy' || m === 'data' || m === 'metadata') return m;
  throw new AppError('INVALID_ARGUMENT', `invalid change detection mode '${m}' (legacy, data or metadata)`);
}

/** The result as --output-format json prints it (kebab-case keys, as PBS's API types). */
export function backupResultJson(result: BackupResult): unknown {
  return {
    snapshot: result.snapshot,
    files: result.files.map((f) => ({
      filename: f.filename,
      'crypt-mode': f.cryptMode,
      size: f.size,
      csum: f.csum,
    })),
    archives: result.archives.map((a) => ({
      archive: a.archive,
      size: a.size,
      'chunk-count': a.chunkCount,
      'uploaded-chunks': a.uploadedChunks,
      'uploaded-bytes': a.uploadedBytes,
      'compressed-bytes': a.compressedBytes,
      'reused-chunks': a.reusedChunks,
      'reused-bytes': a.reusedBytes,
      'zero-chunks': a.zeroChunks,
      csum: a.csum,
      duration: Math.round(a.durationMs) / 1000,
      'upload-wait': Math.round(a.stallMs) / 1000,
    })),
    duration: Math.round(result.durationMs) / 1000,
  };
}

export function backupCommand(program: Command, ctx: CliContext, archiver?: DirectoryArchiverFactory): void {
  const cmd = program
    .command('backup')
    .description('Create a backup: <archive-name>.<pxar|img|conf|log>:<source-path> …')
    .argument('<backupspec...>', 'backup source specifications')
    .option('--backup-type <type>', 'backup type (vm, ct, host)', 'host')
    .option('--backup-id <id>', 'backup id (default: this host name)')
    .option('--backup-time <epoch>', 'backup time (unix epoch, default: now)')
    .option('--exclude <pattern>', 'path or match pattern to exclude (repeatable)', collect)
    .option('--change-detection-mode <mode>', 'legacy, data or metadata', 'legacy')
    .option('--chunk-size <KiB>', 'average chunk size for directory archives (64…4096, power of 2)')
    .option('--skip-lost-and-found', 'skip lost+found directories')
    .option('--all-file-systems', 'include all mounted subdirectories')
    .option('--entries-max <n>', 'max number of entries to hold in memory')
    .option('--dry-run', 'show what would be uploaded, upload nothing')
    .option('--no-cache', 'bypass the local datastore cache of network storages')
    .option('--concurrency <n>', 'parallel chunk uploads (default 8)')
    .option('--encode-workers <n>', 'threads compressing/encrypting chunks (default: cores - 1, at most 4)');
  repoOptions(cmd);
  cryptoOptions(cmd);
  outputOption(cmd);
  cmd.action(async (specs: string[], opts: BackupOptions) => {
    const format = parseOutputFormat(opts.outputFormat);
    const parsed = specs.map(parseBackupSpec);
    const chunkKiB = opts.chunkSize !== undefined ? Number(opts.chunkSize) : undefined;
    if (chunkKiB !== undefined && !CHUNK_SIZES.includes(chunkKiB)) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `invalid chunk size ${opts.chunkSize} (64…4096 KiB, a power of 2)`,
      );
    }
    const type = opts.backupType;
    if (type !== 'host' && type !== 'vm' && type !== 'ct') {
      throw new AppError('INVALID_ARGUMENT', `invalid backup type '${type}'`);
    }
    const group = checkGroup({ type, id: opts.backupId ?? nodename(ctx.env.hostname) });
    const id = group.id;
    const time = opts.backupTime !== undefined ? Number(opts.backupTime) : ctx.now();
    if (!Number.isSafeInteger(time) || time < 1)
      throw new AppError('INVALID_ARGUMENT', `invalid backup time '${opts.backupTime}'`);
    const changeDetectionMode = parseChangeDetection(opts.changeDetectionMode);
    // built first: it refuses what it cannot do before anything is sent
    const archiveDirectory = archiver?.({
      excludes: opts.exclude ?? [],
      changeDetectionMode,
      chunkSize: chunkKiB !== undefined ? chunkKiB * 1024 : DEFAULT_AVG_CHUNK_SIZE,
      skipLostAndFound: opts.skipLostAndFound === true,
      allFileSystems: opts.allFileSystems === true,
      ...(opts.entriesMax !== undefined && { entriesMax: Number(opts.entriesMax) }),
      ...(opts.concurrency !== undefined && { concurrency: Number(opts.concurrency) }),
    });
    // the sources are checked before anything is said or sent (runBackup checks them again)
    await checkSources(parsed);
    const client = connect(ctx, opts);
    const ns = namespaceOf(ctx, opts);
    const snapshot = { ...group, time };
    const label = `${type}/${id}/${new Date(time * 1000).toISOString().slice(0, 19)}Z`;
    log(ctx, `Starting backup: ${ns === '' ? '' : `[${ns}]:`}${label}`);
    log(ctx, `Client name: ${nodename(ctx.env.hostname)}`);
    log(ctx, `Starting backup protocol: ${new Date().toString()}`);
    const crypto = opts.dryRun ? { params: { mode: 'none' as const } } : await cryptoOf(ctx, opts);
    if (crypto.fingerprint !== undefined) log(ctx, `Encryption key fingerprint: ${crypto.fingerprint}`);
    const progress = createProgressLine(ctx.stderr, format === 'text');
    const result = await runBackup({
      client,
      store: client.repo.store,
      ns,
      snapshot,
      specs: parsed,
      cryptMode: crypto.params.mode,
      ...(crypto.crypt && { crypt: crypto.crypt }),
      ...(archiveDirectory && { archiveDirectory }),
      dryRun: opts.dryRun === true,
      noCache: opts.cache === false,
      workers: {
        count:
          opts.encodeWorkers !== undefined
            ? Number(opts.encodeWorkers)
            : Math.min(4, os.availableParallelism() - 1),
        ...(crypto.params.mode === 'encrypt' && 'key' in crypto && crypto.key && { key: crypto.key }),
      },
      ...(opts.concurrency !== undefined && { concurrency: Number(opts.concurrency) }),
      repoLabel: client.repo.toString(),
      log: (line) => {
        progress.stop();
        log(ctx, line);
      },
      onProgress: (p) => progress.update(p.archive, p.processed, p.total),
      signal: ctx.signal,
    }).finally(() => progress.stop());
    if (format !== 'text') print(ctx, formatJson(backupResultJson(result), format));
  });
}
