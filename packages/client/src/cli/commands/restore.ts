import os from 'node:os';
import type { Command } from 'commander';
import { formatHumanByte } from '@pbs/datastore';
import { DatastoreApi } from '../../admin/datastore-api.js';
import { runRestore, type DirectoryExtractor } from '../../reader/run-restore.js';
import { parseGroupOrSnapshot } from '../../repo/names.js';
import {
  connect,
  cryptoOf,
  log,
  namespaceOf,
  type CliContext,
  type CryptoOptions,
  type RepoOptions,
} from '../context.js';
import { collect, cryptoOptions, repoOptions } from '../options.js';
import { createProgressLine } from '../progress.js';

/*
 * `restore <snapshot|group> <archive-name> <target>` (restore in main.rs): a group means its
 * newest snapshot; target '-' writes to stdout (not for split pxar archives, not with patterns).
 */

interface RestoreOptions extends RepoOptions, CryptoOptions {
  pattern?: string[];
  allowExistingDirs?: boolean;
  ignoreAcls?: boolean;
  ignoreXattrs?: boolean;
  ignoreOwnership?: boolean;
  ignorePermissions?: boolean;
  overwrite?: boolean;
  overwriteFiles?: boolean;
  overwriteSymlinks?: boolean;
  overwriteHardlinks?: boolean;
  ignoreExtractDeviceErrors?: boolean;
  preludeTarget?: string;
  concurrency?: string;
  decodeWorkers?: string;
}

export interface ExtractorOptions {
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
}

export type DirectoryExtractorFactory = (opts: ExtractorOptions) => DirectoryExtractor;

export function restoreCommand(
  program: Command,
  ctx: CliContext,
  extractor?: DirectoryExtractorFactory,
): void {
  const cmd = program
    .command('restore')
    .description('Restore an archive of a snapshot (a group means its newest snapshot)')
    .argument('<snapshot>', 'type/id/time, or type/id for the newest snapshot')
    .argument('<archive-name>', 'e.g. root.pxar, disk.img, qemu-server.conf, index.json')
    .argument('<target>', "target path, or '-' for standard output")
    .option('--pattern <pattern>', 'path or match pattern limiting what is restored (repeatable)', collect)
    .option('--allow-existing-dirs', 'do not fail if directories already exist')
    .option('--ignore-acls', 'ignore acl settings')
    .option('--ignore-xattrs', 'ignore xattr settings')
    .option('--ignore-ownership', 'ignore owner settings (no chown)')
    .option('--ignore-permissions', 'ignore permission settings (no chmod)')
    .option('--overwrite', 'overwrite already existing files, symlinks and hardlinks')
    .option('--overwrite-files', 'overwrite already existing files')
    .option('--overwrite-symlinks', 'overwrite already existing entries by archived symlinks')
    .option('--overwrite-hardlinks', 'overwrite already existing entries by archived hardlinks')
    .option('--ignore-extract-device-errors', 'ignore errors while creating device nodes')
    .option('--prelude-target <path>', 'path to restore the prelude to (pxar v2 archives only)')
    .option('--concurrency <n>', 'parallel chunk downloads (default 8)')
    .option(
      '--decode-workers <n>',
      'threads decrypting/decompressing chunks (default: cores - 1, at most 4)',
    );
  repoOptions(cmd);
  cryptoOptions(cmd);
  cmd.action(async (path: string, archive: string, target: string, opts: RestoreOptions) => {
    if (target === '-' && opts.pattern !== undefined)
      throw new Error('patterns not allowed when restoring to stdout');
    const client = connect(ctx, opts);
    const ns = namespaceOf(ctx, opts);
    const parsed = parseGroupOrSnapshot(path);
    const snapshot =
      parsed.kind === 'snapshot'
        ? parsed.snapshot
        : await new DatastoreApi(client, client.repo.store, ns).lastSnapshot(parsed.group);
    const crypto = await cryptoOf(ctx, opts);
    if (crypto.fingerprint !== undefined) log(ctx, `Fingerprint: ${crypto.fingerprint}`);
    const progress = createProgressLine(ctx.stderr, target !== '-');
    const overwrite = opts.overwrite === true;
    const result = await runRestore({
      client,
      store: client.repo.store,
      ns,
      snapshot,
      archive,
      target,
      stdout: ctx.stdout,
      ...(crypto.crypt && { crypt: crypto.crypt }),
      ...(extractor && {
        extractDirectory: extractor({
          patterns: opts.pattern ?? [],
          allowExistingDirs: opts.allowExistingDirs === true,
          ignoreAcls: opts.ignoreAcls === true,
          ignoreXattrs: opts.ignoreXattrs === true,
          ignoreOwnership: opts.ignoreOwnership === true,
          ignorePermissions: opts.ignorePermissions === true,
          overwriteFiles: overwrite || opts.overwriteFiles === true,
          overwriteSymlinks: overwrite || opts.overwriteSymlinks === true,
          overwriteHardlinks: overwrite || opts.overwriteHardlinks === true,
          ignoreExtractDeviceErrors: opts.ignoreExtractDeviceErrors === true,
          ...(opts.preludeTarget !== undefined && { preludeTarget: opts.preludeTarget }),
        }),
      }),
      ...(opts.concurrency !== undefined && { concurrency: Number(opts.concurrency) }),
      workers: {
        count:
          opts.decodeWorkers !== undefined
            ? Number(opts.decodeWorkers)
            : Math.min(4, os.availableParallelism() - 1),
        ...(crypto.key && { key: crypto.key }),
      },
      log: (line) => {
        progress.stop();
        log(ctx, line);
      },
      onProgress: (done, total) => progress.update(archive, done, total),
      signal: ctx.signal,
    }).finally(() => progress.stop());
    const secs = result.durationMs / 1000;
    log(
      ctx,
      `restore complete (${formatHumanByte(result.bytes)} processed in ${secs.toFixed(2)}s, average ${formatHumanByte(secs > 0 ? result.bytes / secs : 0)}/s)`,
    );
  });
}
