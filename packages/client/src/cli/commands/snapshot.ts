import type { Command } from 'commander';
import { formatHumanByte, formatSnapshot, type BackupType } from '@pbs/datastore';
import { AppError } from '@pbs/api-types/errors';
import { DatastoreApi, type SnapshotListItem } from '../../admin/datastore-api.js';
import { parseGroup, parseSnapshot } from '../../repo/names.js';
import { connect, namespaceOf, print, type CliContext, type RepoOptions } from '../context.js';
import { outputOption, repoOptions } from '../options.js';
import { formatJson, formatTable, parseOutputFormat, stripServerExtension } from '../output.js';

/* `snapshot list|files|forget|notes show|notes update|protected show|protected update` (snapshot.rs) */

interface Opts extends RepoOptions {
  outputFormat?: string;
}

function api(ctx: CliContext, opts: Opts): DatastoreApi {
  const client = connect(ctx, opts);
  return new DatastoreApi(client, client.repo.store, namespaceOf(ctx, opts));
}

function fileNames(item: SnapshotListItem): string {
  return item.files
    .map((f) => stripServerExtension(typeof f === 'string' ? f : f.filename))
    .sort()
    .join(' ');
}

function sortSnapshots(list: SnapshotListItem[]): SnapshotListItem[] {
  return [...list].sort(
    (a, b) =>
      a['backup-type'].localeCompare(b['backup-type']) ||
      a['backup-id'].localeCompare(b['backup-id']) ||
      a['backup-time'] - b['backup-time'],
  );
}

const snapshotPath = (s: SnapshotListItem) =>
  formatSnapshot({ type: s['backup-type'] as BackupType, id: s['backup-id'], time: s['backup-time'] });

function withCommon(cmd: Command, output = false): Command {
  repoOptions(cmd);
  if (output) outputOption(cmd);
  return cmd;
}

export function snapshotCommand(program: Command, ctx: CliContext): void {
  const snap = program.command('snapshot').description('Manage snapshots');

  withCommon(snap.command('list').argument('[group]', 'type/id').description('List snapshots'), true).action(
    async (group: string | undefined, opts: Opts) => {
      const format = parseOutputFormat(opts.outputFormat);
      const list = sortSnapshots(
        await api(ctx, opts).snapshots(group !== undefined ? parseGroup(group) : undefined),
      );
      if (format !== 'text') return print(ctx, formatJson(list, format));
      print(
        ctx,
        formatTable(list, [
          { header: 'snapshot', render: snapshotPath },
          { header: 'size', render: (s) => (s.size !== undefined ? formatHumanByte(s.size) : '') },
          { header: 'files', render: fileNames },
        ]),
      );
    },
  );

  withCommon(
    snap.command('files').argument('<snapshot>', 'type/id/time').description('List snapshot files'),
    true,
  ).action(async (path: string, opts: Opts) => {
    const format = parseOutputFormat(opts.outputFormat);
    const files = await api(ctx, opts).files(parseSnapshot(path));
    if (format !== 'text') return print(ctx, formatJson(files, format));
    print(
      ctx,
      formatTable(files, [
        { header: 'filename', render: (f) => f.filename },
        { header: 'crypt-mode', render: (f) => f['crypt-mode'] ?? '' },
        { header: 'size', render: (f) => (f.size !== undefined ? String(f.size) : '') },
      ]),
    );
  });

  withCommon(
    snap.command('forget').argument('<snapshot>', 'type/id/time').description('Forget (remove) a snapshot'),
  ).action(async (path: string, opts: Opts) => {
    await api(ctx, opts).forget(parseSnapshot(path));
  });

  const notes = snap.command('notes').description('Show or update snapshot notes');
  withCommon(
    notes.command('show').argument('<snapshot>', 'type/id/time').description('Show notes'),
    true,
  ).action(async (path: string, opts: Opts) => {
    const format = parseOutputFormat(opts.outputFormat);
    const text = await api(ctx, opts).notes(parseSnapshot(path));
    print(ctx, format === 'text' ? `${text}\n` : formatJson({ notes: text }, format));
  });
  withCommon(
    notes
      .command('update')
      .argument('<snapshot>', 'type/id/time')
      .argument('<notes>', 'the notes')
      .description('Update notes'),
  ).action(async (path: string, text: string, opts: Opts) => {
    await api(ctx, opts).setNotes(parseSnapshot(path), text);
  });

  const prot = snap.command('protected').description('Show or update the protection of a snapshot');
  withCommon(
    prot.command('show').argument('<snapshot>', 'type/id/time').description('Show protection status'),
    true,
  ).action(async (path: string, opts: Opts) => {
    const format = parseOutputFormat(opts.outputFormat);
    const value = await api(ctx, opts).isProtected(parseSnapshot(path));
    print(ctx, format === 'text' ? `${value}\n` : formatJson({ protected: value }, format));
  });
  withCommon(
    prot
      .command('update')
      .argument('<snapshot>', 'type/id/time')
      .argument('<protected>', 'true or false')
      .description('Update protection status'),
  ).action(async (path: string, value: string, opts: Opts) => {
    const bool = /^(1|true|yes|on)$/i.test(value)
      ? true
      : /^(0|false|no|off)$/i.test(value)
        ? false
        : undefined;
    if (bool === undefined) throw new AppError('INVALID_ARGUMENT', `invalid boolean '${value}'`);
    await api(ctx, opts).setProtected(parseSnapshot(path), bool);
  });
}

export function listCommand(program: Command, ctx: CliContext): void {
  withCommon(program.command('list').description('List backup groups'), true).action(async (opts: Opts) => {
    const format = parseOutputFormat(opts.outputFormat);
    const groups = (await api(ctx, opts).groups()).sort(
      (a, b) =>
        a['backup-type'].localeCompare(b['backup-type']) || a['backup-id'].localeCompare(b['backup-id']),
    );
    if (format !== 'text') return print(ctx, formatJson(groups, format));
    print(
      ctx,
      formatTable(groups, [
        { header: 'group', render: (g) => `${g['backup-type']}/${g['backup-id']}` },
        {
          header: 'last snapshot',
          render: (g) =>
            formatSnapshot({
              type: g['backup-type'] as BackupType,
              id: g['backup-id'],
              time: g['last-backup'],
            }),
        },
        { header: 'backup-count', render: (g) => String(g['backup-count']) },
        { header: 'files', render: (g) => g.files.map(stripServerExtension).sort().join(' ') },
      ]),
    );
  });
}
