import type { Command } from 'commander';
import { formatHumanByte } from '@pbs/datastore';
import { DatastoreApi } from '../../admin/datastore-api.js';
import {
  emptyBenchmark,
  measureLocalSpeeds,
  uploadSpeedtest,
  type BenchmarkValue,
} from '../../admin/benchmark.js';
import { BackupWriter } from '../../backup/backup-writer.js';
import {
  connect,
  credentialCache,
  cryptoOf,
  log,
  print,
  repositoryOf,
  type CliContext,
  type CryptoOptions,
  type RepoOptions,
} from '../context.js';
import { cryptoOptions, outputOption, repoOptions } from '../options.js';
import { formatJson, formatTable, parseOutputFormat } from '../output.js';

/* `status`, `login`, `logout`, `version`, `benchmark` (main.rs, benchmark.rs) */

interface Opts extends RepoOptions, CryptoOptions {
  outputFormat?: string;
}

export const CLIENT_VERSION = '4.0.0';

export function miscCommands(program: Command, ctx: CliContext): void {
  const status = program.command('status').description('Get repository status');
  repoOptions(status, false);
  outputOption(status);
  status.action(async (opts: Opts) => {
    const format = parseOutputFormat(opts.outputFormat);
    const client = connect(ctx, opts);
    const data = await new DatastoreApi(client, client.repo.store).status();
    if (format !== 'text') return print(ctx, formatJson(data, format));
    const total = Number(data.total ?? 0);
    const pct = (v: unknown) =>
      `${formatHumanByte(Number(v ?? 0))} (${total > 0 ? ((Number(v ?? 0) * 100) / total).toFixed(2) : '0.00'}%)`;
    print(
      ctx,
      formatTable(
        [
          ['total', formatHumanByte(total)],
          ['used', pct(data.used)],
          ['avail', pct(data.avail)],
        ],
        [
          { header: 'Name', render: (r) => r[0] as string },
          { header: 'Value', render: (r) => r[1] as string },
        ],
      ),
    );
  });

  const login = program
    .command('login')
    .description('Try to login; on success the ticket (and a pinned certificate fingerprint) are cached');
  repoOptions(login, false);
  login.action(async (opts: Opts) => {
    const client = connect(ctx, opts);
    await client.login();
    // beyond PBS: a fingerprint given by flag or environment is remembered for later commands
    if (client.lastFingerprint === undefined) await client.socket().then((s) => s.destroy());
    if (client.lastFingerprint !== undefined) {
      await credentialCache(ctx).storeFingerprint(client.repo.serverKey, client.lastFingerprint);
    }
  });

  const logout = program.command('logout').description('Logout (delete the stored ticket)');
  repoOptions(logout, false);
  logout.action(async (opts: Opts) => {
    const repo = repositoryOf(ctx, opts);
    if (!(await credentialCache(ctx).deleteTicket(repo.serverKey, repo.user))) {
      log(ctx, `no ticket found for ${repo.user} on server ${repo.serverKey}`);
    }
  });

  const version = program.command('version').description('Show client and server version');
  repoOptions(version, false);
  outputOption(version);
  version.action(async (opts: Opts) => {
    const format = parseOutputFormat(opts.outputFormat);
    const info: Record<string, unknown> = { client: { version: CLIENT_VERSION } };
    if (opts.repository !== undefined || ctx.env.repository !== undefined || opts.datastore !== undefined) {
      try {
        info.server = await connect(ctx, opts).get('/version');
      } catch (err) {
        log(ctx, `could not connect to server - ${(err as Error).message}`);
      }
    }
    if (format !== 'text') return print(ctx, formatJson(info, format));
    print(ctx, `client version: ${CLIENT_VERSION}\n`);
    const server = info.server as { version?: string; release?: string } | undefined;
    if (server?.version !== undefined)
      print(ctx, `server version: ${server.version}.${server.release ?? ''}\n`);
  });

  const bench = program.command('benchmark').description('Run benchmark tests');
  repoOptions(bench, false);
  cryptoOptions(bench);
  outputOption(bench);
  bench.action(async (opts: Opts) => {
    const format = parseOutputFormat(opts.outputFormat);
    const result = emptyBenchmark();
    const hasRepo =
      opts.repository !== undefined || opts.datastore !== undefined || ctx.env.repository !== undefined;
    if (hasRepo) {
      const client = connect(ctx, opts);
      const crypto = await cryptoOf(ctx, opts);
      const writer = await BackupWriter.start(client, {
        store: client.repo.store,
        snapshot: { type: 'host', id: 'benchmark', time: ctx.now() },
        ...(crypto.crypt && { crypt: crypto.crypt }),
        benchmark: true,
      });
      try {
        result.tls.speed = await uploadSpeedtest(writer.h2);
        log(ctx, `TLS speed: ${(result.tls.speed / 1e6).toFixed(2)} MB/s`);
      } finally {
        writer.abort();
      }
    }
    await measureLocalSpeeds(result);
    if (format !== 'text') return print(ctx, formatJson(result, format));
    const render = (v: BenchmarkValue) =>
      v.speed === undefined
        ? 'not tested'
        : `${(v.speed / 1e6).toFixed(2)} MB/s (${((v.speed * 100) / v.top).toFixed(0)}%)`;
    const rows: [string, BenchmarkValue][] = [
      ['TLS (maximal backup upload speed)', result.tls],
      ['SHA256 checksum computation speed', result.sha256],
      ['ZStd level 1 compression speed', result.compress],
      ['ZStd level 1 decompression speed', result.decompress],
      ['Chunk verification speed', result.verify],
      ['AES256 GCM encryption speed', result.aes256_gcm],
    ];
    print(
      ctx,
      formatTable(rows, [
        { header: 'Name', render: (r) => r[0] },
        { header: 'Value', render: (r) => render(r[1]) },
      ]),
    );
  });
}
