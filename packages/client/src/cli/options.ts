import { Option, type Command } from 'commander';

/*
 * Option groups shared by the commands, named as proxmox-backup-client names them.
 * Beyond PBS: --fingerprint (PBS takes the certificate fingerprint from PBS_FINGERPRINT only).
 */

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function repoOptions(cmd: Command, withNamespace = true): Command {
  cmd
    .option(
      '--repository <repo>',
      'repository URL: [[auth-id@]server[:port]:]datastore (default: PBS_REPOSITORY)',
    )
    .option('--server <host>', 'backup server address (instead of --repository)')
    .option('--port <port>', 'backup server port (default 8007)')
    .option('--datastore <store>', 'datastore name (instead of --repository)')
    .option('--auth-id <id>', 'user@realm or user@realm!token (instead of --repository)')
    .option('--fingerprint <fp>', 'expected server certificate fingerprint (default: PBS_FINGERPRINT)');
  if (withNamespace) cmd.option('--ns <namespace>', 'namespace (default: PBS_NAMESPACE or the root)');
  return cmd;
}

export function cryptoOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--crypt-mode <mode>', 'encryption mode').choices(['none', 'encrypt', 'sign-only']))
    .option('--keyfile <path>', 'path to the encryption key (default: the default key, if it exists)')
    .option('--keyfd <fd>', 'pass the encryption key via an already opened file descriptor');
}

export function outputOption(cmd: Command): Command {
  return cmd.addOption(
    new Option('--output-format <format>', 'output format')
      .choices(['text', 'json', 'json-pretty'])
      .default('text'),
  );
}
