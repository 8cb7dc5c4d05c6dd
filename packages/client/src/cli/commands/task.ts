import type { Command } from 'commander';
import { followTask } from '../../admin/task-follow.js';
import { connect, log, print, type CliContext, type RepoOptions } from '../context.js';
import { outputOption, repoOptions } from '../options.js';
import { formatJson, formatTable, parseOutputFormat } from '../output.js';

/* `task list | log | stop` (task.rs): the server's worker tasks of this user. */

interface Opts extends RepoOptions {
  outputFormat?: string;
  all?: boolean;
  limit?: string;
}

interface TaskItem {
  readonly upid: string;
  readonly starttime: number;
  readonly endtime?: number;
  readonly status?: string;
  readonly user?: string;
}

const epoch = (t: number | undefined) => (t === undefined ? '' : new Date(t * 1000).toString());

export function taskCommands(program: Command, ctx: CliContext): void {
  const task = program.command('task').description('Show and stop server tasks');

  const list = task
    .command('list')
    .description('List running server tasks for this repository server')
    .option('--all', 'also list stopped tasks')
    .option('--limit <n>', 'list at most n tasks', '50');
  repoOptions(list, false);
  outputOption(list);
  list.action(async (opts: Opts) => {
    const format = parseOutputFormat(opts.outputFormat);
    const client = connect(ctx, opts);
    const items = ((await client.get('/nodes/localhost/tasks', {
      limit: Number(opts.limit ?? 50),
      ...(opts.all !== true && { running: true }),
      userfilter: client.repo.authId,
      store: client.repo.store,
    })) ?? []) as TaskItem[];
    if (format !== 'text') return print(ctx, formatJson(items, format));
    print(
      ctx,
      formatTable(items, [
        { header: 'Upid', render: (t) => t.upid },
        { header: 'Start Time', render: (t) => epoch(t.starttime) },
        { header: 'End Time', render: (t) => epoch(t.endtime) },
        { header: 'Status', render: (t) => t.status ?? '' },
      ]),
    );
  });

  const logCmd = task.command('log').description('Display the task log').argument('<upid>', 'the task id');
  repoOptions(logCmd, false);
  logCmd.action(async (upid: string, opts: Opts) => {
    await followTask(connect(ctx, opts), upid, (line) => print(ctx, `${line}\n`), { signal: ctx.signal });
  });

  const stop = task
    .command('stop')
    .description('Try to stop a specific task')
    .argument('<upid>', 'the task id');
  repoOptions(stop, false);
  stop.action(async (upid: string, opts: Opts) => {
    await connect(ctx, opts).delete(`/nodes/localhost/tasks/${encodeURIComponent(upid)}`);
    log(ctx, 'stop requested');
  });
}
