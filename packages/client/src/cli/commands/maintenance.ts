import type { Command } from 'commander';
import { AppError } from '@pbs/api-types/errors';
import { formatSnapshot, type BackupType } from '@pbs/datastore';
import { DatastoreApi, type PruneListItem } from '../../admin/datastore-api.js';
import { followTask } from '../../admin/task-follow.js';
import { parseGroup } from '../../repo/names.js';
import { connect, log, namespaceOf, print, type CliContext, type RepoOptions } from '../context.js';
import { outputOption, repoOptions } from '../options.js';
import { formatJson, formatTable, parseOutputFormat } from '../output.js';

/* `prune <group>` and `garbage-collect` (main.rs): server-side operations the client starts. */

const KEEP = [
  'keep-last',
  'keep-hourly',
  'keep-daily',
  'keep-weekly',
  'keep-monthly',
  'keep-yearly',
] as const;

interface Opts extends RepoOptions {
  outputFormat?: string;
  dryRun?: boolean;
  quiet?: boolean;
  [key: string]: unknown;
}

const camel = (k: string) => k.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

export function maintenanceCommands(program: Command, ctx: CliContext): void {
  const prune = program
    .command('prune')
    .description('Prune a backup group')
    .argument('<group>', 'type/id')
    .option('--dry-run', 'just show what prune would do, but do not delete anything')
    .option('--quiet', 'minimal output - only show removals');
  for (const k of KEEP) prune.option(`--${k} <n>`, `number of ${k.slice(5)} backups to keep`);
  repoOptions(prune);
  outputOption(prune);
  prune.action(async (path: string, opts: Opts) => {
    const format = parseOutputFormat(opts.outputFormat);
    const keep: Record<string, number> = {};
    for (const k of KEEP) {
      const v = opts[camel(k)];
      if (v === undefined) continue;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new AppError('INVALID_ARGUMENT', `--${k} must be a positive integer`);
      keep[k] = n;
    }
    const client = connect(ctx, opts);
    const api = new DatastoreApi(client, client.repo.store, namespaceOf(ctx, opts));
    let list = await api.prune(parseGroup(path), keep, opts.dryRun === true);
    if (opts.quiet === true) list = list.filter((s) => !s.keep);
    if (format !== 'text') return print(ctx, formatJson(list, format));
    const action = (s: PruneListItem) =>
      s.keep ? (s.protected === true ? 'keep (protected)' : 'keep') : 'remove';
    print(
      ctx,
      formatTable(list, [
        {
          header: 'snapshot',
          render: (s) =>
            formatSnapshot({
              type: s['backup-type'] as BackupType,
              id: s['backup-id'],
              time: s['backup-time'],
            }),
        },
        { header: 'date', render: (s) => new Date(s['backup-time'] * 1000).toString() },
        { header: 'action', render: action },
      ]),
    );
  });

  const gc = program.command('garbage-collect').description('Start garbage collection for a repository');
  repoOptions(gc, false);
  outputOption(gc);
  gc.action(async (opts: Opts) => {
    const format = parseOutputFormat(opts.outputFormat);
    const client = connect(ctx, opts);
    const upid = await new DatastoreApi(client, client.repo.store).startGarbageCollection();
    if (format !== 'text') return print(ctx, formatJson(upid, format));
    await followTask(client, upid, (line) => log(ctx, line), { signal: ctx.signal });
  });
}
