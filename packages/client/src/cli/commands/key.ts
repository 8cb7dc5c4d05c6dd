import type { Command } from 'commander';
import { AppError } from '@pbs/api-types/errors';
import { changeKeyPassphrase, createKeyFile, keyInfo, readKeyFile, type Kdf } from '../../keys/key-files.js';
import { defaultKeyPath, log, print, type CliContext } from '../context.js';
import { outputOption } from '../options.js';
import { formatJson, formatTable, parseOutputFormat } from '../output.js';
import { isInteractive, readAndVerifyPassword, readPassword } from '../prompt.js';

/*
 * `key create | show | change-passphrase` (key.rs). The default KDF is scrypt; the passphrase of a
 * new key comes from the terminal (asked twice) or — beyond PBS, for scripts — from
 * PBS_ENCRYPTION_PASSWORD. change-passphrase needs a terminal, as in PBS.
 */

interface KeyOpts {
  kdf?: string;
  hint?: string;
  outputFormat?: string;
}

function parseKdf(kdf: string | undefined): Kdf {
  const k = kdf ?? 'scrypt';
  if (k === 'none' || k === 'scrypt' || k === 'pbkdf2') return k;
  throw new AppError('INVALID_ARGUMENT', `invalid kdf '${k}' (none, scrypt or pbkdf2)`);
}

async function newPassphrase(ctx: CliContext, question: string): Promise<string> {
  if (isInteractive(ctx.terminal)) return readAndVerifyPassword(ctx.terminal, question);
  if (ctx.env.encryptionPassword !== undefined) return ctx.env.encryptionPassword;
  throw new AppError(
    'INVALID_ARGUMENT',
    'unable to read passphrase - no tty (or set PBS_ENCRYPTION_PASSWORD)',
  );
}

const epoch = (t: number) => new Date(t * 1000).toString();

export function keyCommand(program: Command, ctx: CliContext): void {
  const key = program.command('key').description('Manage encryption keys');

  key
    .command('create')
    .description('Create a new encryption key (default: the default key)')
    .argument('[path]', 'output file; without it the key becomes the new default encryption key')
    .option('--kdf <kdf>', 'key derivation function: none, scrypt or pbkdf2', 'scrypt')
    .option('--hint <hint>', 'password hint')
    .action(async (path: string | undefined, opts: KeyOpts) => {
      const kdf = parseKdf(opts.kdf);
      const file = path ?? defaultKeyPath(ctx);
      if (path === undefined) log(ctx, `creating default key at: "${file}"`);
      const passphrase = kdf === 'none' ? undefined : await newPassphrase(ctx, 'Encryption Key Password: ');
      await createKeyFile(file, {
        kdf,
        now: ctx.now(),
        ...(passphrase !== undefined && { passphrase }),
        ...(opts.hint !== undefined && { hint: opts.hint }),
      });
    });

  key
    .command('change-passphrase')
    .description("Change the passphrase of a key (default: the default key's)")
    .argument('[path]', 'key file')
    .option('--kdf <kdf>', 'key derivation function: none, scrypt or pbkdf2', 'scrypt')
    .option('--hint <hint>', 'password hint')
    .action(async (path: string | undefined, opts: KeyOpts) => {
      const kdf = parseKdf(opts.kdf);
      const file = path ?? defaultKeyPath(ctx);
      if (path === undefined) log(ctx, `updating default key at: "${file}"`);
      if (!isInteractive(ctx.terminal))
        throw new AppError('INVALID_ARGUMENT', 'unable to change passphrase - no tty');
      const config = await readKeyFile(file);
      const oldPassphrase = config.kdf
        ? await readPassword(ctx.terminal, 'Encryption Key Password: ')
        : undefined;
      const passphrase =
        kdf === 'none' ? undefined : await readAndVerifyPassword(ctx.terminal, 'New Password: ');
      await changeKeyPassphrase(file, {
        kdf,
        now: ctx.now(),
        ...(oldPassphrase !== undefined && { oldPassphrase }),
        ...(passphrase !== undefined && { passphrase }),
        ...(opts.hint !== undefined && { hint: opts.hint }),
      });
    });

  outputOption(
    key
      .command('show')
      .description("Print the encryption key's metadata (default: the default key)")
      .argument('[path]', 'key file'),
  ).action(async (path: string | undefined, opts: KeyOpts) => {
    const format = parseOutputFormat(opts.outputFormat);
    const file = path ?? defaultKeyPath(ctx);
    const info = keyInfo(await readKeyFile(file), file);
    if (format !== 'text') return print(ctx, formatJson(info, format));
    const rows: [string, string][] = [
      ['path', JSON.stringify(info.path)],
      ['kdf', info.kdf],
      ['created', epoch(info.created)],
      ['modified', epoch(info.modified)],
      ['fingerprint', info.fingerprint ?? ''],
      ['hint', info.hint ?? ''],
    ];
    print(
      ctx,
      formatTable(rows, [
        { header: 'Name', render: (r) => r[0] },
        { header: 'Value', render: (r) => r[1] },
      ]),
    );
  });
}
