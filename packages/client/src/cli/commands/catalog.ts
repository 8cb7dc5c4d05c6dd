import type { Command } from 'commander';
import { DatastoreApi } from '../../admin/datastore-api.js';
import { BackupReader } from '../../reader/backup-reader.js';
import { catalogLines } from '../../reader/catalog-dump.js';
import { parseGroupOrSnapshot } from '../../repo/names.js';
import { checkManifestFingerprint } from '@pbs/datastore';
import {
  connect,
  cryptoOf,
  namespaceOf,
  print,
  type CliContext,
  type CryptoOptions,
  type RepoOptions,
} from '../context.js';
import { cryptoOptions, outputOption, repoOptions } from '../options.js';
import { parseOutputFormat } from '../output.js';

/*
 * `catalog dump <snapshot>` (catalog.rs): one line per entry, `<type> "<path>"`, files with size
 * and mtime, as PBS's CatalogReader::dump prints them (mtime as UTC RFC 3339). JSON prints one
 * object per entry in an array. `catalog shell` is not implemented.
 */

interface Opts extends RepoOptions, CryptoOptions {
  outputFormat?: string;
}

const rfc3339 = (t: number) => `${new Date(t * 1000).toISOString().slice(0, 19)}Z`;

export function catalogCommand(program: Command, ctx: CliContext): void {
  const catalog = program.command('catalog').description('Catalog commands');
  const dump = catalog
    .command('dump')
    .description('Dump catalog')
    .argument('<snapshot>', 'type/id/time (or type/id: newest)');
  repoOptions(dump);
  cryptoOptions(dump);
  outputOption(dump);
  dump.action(async (path: string, opts: Opts) => {
    const format = parseOutputFormat(opts.outputFormat);
    const client = connect(ctx, opts);
    const ns = namespaceOf(ctx, opts);
    const parsed = parseGroupOrSnapshot(path);
    const snapshot =
      parsed.kind === 'snapshot'
        ? parsed.snapshot
        : await new DatastoreApi(client, client.repo.store, ns).lastSnapshot(parsed.group);
    const crypto = await cryptoOf(ctx, opts);
    const reader = await BackupReader.start(client, { store: client.repo.store, ns, snapshot });
    try {
      const { manifest } = await reader.downloadManifest(crypto.crypt);
      checkManifestFingerprint(manifest, crypto.crypt);
      const lines = catalogLines(reader, manifest, crypto.crypt);
      if (format !== 'text') {
        const all = [];
        for await (const line of lines) all.push(line);
        print(ctx, `${JSON.stringify(all, null, format === 'json-pretty' ? 2 : undefined)}\n`);
      } else {
        for await (const l of lines) {
          const tail = l.size !== undefined ? ` ${l.size} ${rfc3339(l.mtime ?? 0)}` : '';
          print(ctx, `${l.type} ${JSON.stringify(l.path)}${tail}\n`);
        }
      }
      await reader.close();
    } catch (err) {
      reader.destroy();
      throw err;
    }
  });
}
