import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

/*
 * The CLI's view of its environment, read once here (the composition root's only reader of
 * process.env): PBS's variables with their _FD/_FILE/_CMD variants and systemd credentials
 * (pbs-client tools get_secret_impl; first line only), and the XDG directories.
 */

export interface CliEnv {
  readonly repository?: string;
  readonly password?: string;
  readonly fingerprint?: string;
  readonly encryptionPassword?: string;
  readonly server?: string;
  readonly port?: number;
  readonly datastore?: string;
  readonly authId?: string;
  readonly namespace?: string;
  /** XDG_RUNTIME_DIR, or ~/.cache when unset (ticket cache) */
  readonly runtimeDir: string;
  /** XDG_CONFIG_HOME or ~/.config (fingerprints, default encryption key) */
  readonly configDir: string;
  readonly hostname: string;
}

type Vars = Record<string, string | undefined>;

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

function secret(vars: Vars, base: string, credential: string): string | undefined {
  const direct = vars[base];
  if (direct !== undefined) return firstLine(direct);
  const fd = vars[`${base}_FD`];
  if (fd !== undefined) {
    const n = Number(fd);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`unable to parse file descriptor in ENV(${base}_FD): '${fd}'`);
    return firstLine(fs.readFileSync(n, 'utf8'));
  }
  const file = vars[`${base}_FILE`];
  if (file !== undefined) {
    try {
      return firstLine(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`unable to open file in ENV(${base}_FILE): ${(err as Error).message}`, { cause: err });
    }
  }
  const cmd = vars[`${base}_CMD`];
  if (cmd !== undefined) {
    const args = cmd.split(/\s+/).filter((s) => s !== '');
    if (args.length === 0) throw new Error(`ENV(${base}_CMD) is empty`);
    return firstLine(execFileSync(args[0] as string, args.slice(1), { encoding: 'utf8' }));
  }
  const credDir = vars.CREDENTIALS_DIRECTORY;
  if (credDir !== undefined) {
    try {
      return firstLine(fs.readFileSync(path.join(credDir, credential), 'utf8'));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function readCliEnv(vars: Vars): CliEnv {
  const home = vars.HOME ?? os.homedir();
  const port = vars.PBS_PORT !== undefined ? Number(vars.PBS_PORT) : undefined;
  const values = {
    repository: secret(vars, 'PBS_REPOSITORY', 'proxmox-backup-client.repository'),
    password: secret(vars, 'PBS_PASSWORD', 'proxmox-backup-client.password'),
    fingerprint: secret(vars, 'PBS_FINGERPRINT', 'proxmox-backup-client.fingerprint'),
    encryptionPassword: secret(vars, 'PBS_ENCRYPTION_PASSWORD', 'proxmox-backup-client.encryption-password'),
    server: vars.PBS_SERVER,
    port: port !== undefined && Number.isInteger(port) ? port : undefined,
    datastore: vars.PBS_DATASTORE,
    authId: vars.PBS_AUTH_ID,
    namespace: vars.PBS_NAMESPACE,
  };
  return {
    ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)),
    runtimeDir: vars.XDG_RUNTIME_DIR ?? path.join(home, '.cache'),
    configDir: vars.XDG_CONFIG_HOME ?? path.join(home, '.config'),
    hostname: os.hostname(),
  };
}
