#!/usr/bin/env node
/**
 * pbs-manager: recovery tool after PBS's proxmox-backup-manager. Works directly on the data dir,
 * without the server, so an admin locked out of the UI can get back in.
 */
import path from 'node:path';
import { Command } from 'commander';
import { AccessControl } from '@pbs/access';
import { PasswordSchema, RoleSchema, isAppError } from '@pbs/api-types';
import { loadOrCreateCertificate } from '../services/certificate.js';
import { ensureDataDir } from '../services/data-dir.js';
import { readNewPassword } from './read-password.js';

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

async function openAccess(dataDir: string): Promise<AccessControl> {
  const layout = await ensureDataDir(dataDir);
  return AccessControl.open({ etcDir: layout.etc });
}

function dataDirOf(program: Command): string {
  const opts = program.opts<{ dataDir?: string }>();
  return path.resolve(opts.dataDir ?? process.env.PBS_DATA_DIR ?? 'data');
}

export function buildProgram(): Command {
  const program = new Command('pbs-manager')
    .description('Manage users, permissions and the certificate directly on the data directory')
    .option('--data-dir <dir>', 'data directory (env PBS_DATA_DIR, default ./data)');

  const user = program.command('user').description('user management');
  user
    .command('list')
    .description('list users')
    .action(async () => {
      const access = await openAccess(dataDirOf(program));
      const { items } = await access.listUsers();
      for (const u of items) {
        const expire = u.expire === 0 ? 'never' : new Date(u.expire * 1000).toISOString();
        print(`${u.userid}\tenabled=${u.enable ? 'yes' : 'no'}\texpire=${expire}\ttokens=${u.tokens.length}`);
      }
    });
  user
    .command('passwd <userid>')
    .description('set a new password (asked twice on a terminal, or one line on stdin)')
    .action(async (userid: string) => {
      const access = await openAccess(dataDirOf(program));
      await access.getUser(userid);
      const parsed = PasswordSchema.safeParse(await readNewPassword());
      if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join('; '));
      const password = parsed.data;
      await access.setPassword(userid, password);
      print(`password of ${userid} changed`);
    });
  user
    .command('enable <userid>')
    .description('enable a user and clear its expiry date')
    .action(async (userid: string) => {
      const access = await openAccess(dataDirOf(program));
      await access.updateUser(userid, { enable: true, expire: 0 });
      print(`${userid} enabled`);
    });

  const acl = program.command('acl').description('access control list');
  acl.command('list').action(async () => {
    const access = await openAccess(dataDirOf(program));
    for (const e of (await access.listAcl()).items) {
      print(`${e.path}\t${e.ugid}\t${e.roleid}\tpropagate=${e.propagate ? 1 : 0}`);
    }
  });
  acl
    .command('grant <path> <authid> <role>')
    .description("grant a role, e.g. 'acl grant / admin@pbs Admin'")
    .action(async (aclPath: string, authId: string, role: string) => {
      const access = await openAccess(dataDirOf(program));
      await access.updateAcl({ path: aclPath, authId, role: RoleSchema.parse(role), propagate: true });
      print(`granted ${role} on ${aclPath} to ${authId}`);
    });

  program
    .command('cert-info')
    .description("show the server certificate's SHA-256 fingerprint")
    .action(async () => {
      const layout = await ensureDataDir(dataDirOf(program));
      const cert = await loadOrCreateCertificate(layout.etc);
      print(`Fingerprint (sha256): ${cert.fingerprint}`);
    });
  return program;
}

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    const message = isAppError(err) || err instanceof Error ? err.message : String(err);
    process.stderr.write(`pbs-manager: ${message}\n`);
    process.exit(1);
  });
