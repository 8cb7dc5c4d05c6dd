import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { AppError } from '@pbs/api-types/errors';
import { CredentialCache } from '../http/credential-cache.js';
import { HttpClient } from '../http/http-client.js';
import {
  resolveCryptoParams,
  unlockKey,
  describeKeySource,
  type CryptoParams,
} from '../keys/crypto-params.js';
import { resolveRepository, type BackupRepository } from '../repo/repository.js';
import type { CryptConfig, CryptMode } from '@pbs/datastore';
import type { CliEnv } from './env.js';
import { confirmFingerprint, isInteractive, readPassword, type Terminal } from './prompt.js';

/*
 * What every command gets from the composition root, and the two things most commands build
 * from their options: a connection (repository, credentials, certificate trust) and the crypto
 * parameters (key, crypt mode).
 */

export interface CliContext {
  readonly env: CliEnv;
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly terminal: Terminal;
  readonly signal: AbortSignal;
  /** epoch seconds */
  now(): number;
}

/** Info lines go to stderr, as PBS's logger writes them. */
export function log(ctx: CliContext, line: string): void {
  ctx.stderr.write(`${line}\n`);
}

export function print(ctx: CliContext, text: string): void {
  ctx.stdout.write(text);
}

export interface RepoOptions {
  readonly repository?: string;
  readonly server?: string;
  readonly port?: string;
  readonly datastore?: string;
  readonly authId?: string;
  readonly ns?: string;
  readonly fingerprint?: string;
}

export function repositoryOf(ctx: CliContext, opts: RepoOptions): BackupRepository {
  const port = opts.port !== undefined ? Number(opts.port) : undefined;
  return resolveRepository(
    {
      ...(opts.repository !== undefined && { repository: opts.repository }),
      ...(opts.server !== undefined && { server: opts.server }),
      ...(port !== undefined && { port }),
      ...(opts.datastore !== undefined && { datastore: opts.datastore }),
      ...(opts.authId !== undefined && { authId: opts.authId }),
    },
    ctx.env,
  );
}

export function namespaceOf(ctx: CliContext, opts: RepoOptions): string {
  return opts.ns ?? ctx.env.namespace ?? '';
}

export function credentialCache(ctx: CliContext): CredentialCache {
  return new CredentialCache(ctx.env.runtimeDir, ctx.env.configDir, () => ctx.now());
}

export function connect(ctx: CliContext, opts: RepoOptions): HttpClient {
  const repo = repositoryOf(ctx, opts);
  const interactive = isInteractive(ctx.terminal);
  const fingerprint = opts.fingerprint ?? ctx.env.fingerprint;
  return new HttpClient({
    repo,
    ...(ctx.env.password !== undefined && { password: ctx.env.password }),
    ...(fingerprint !== undefined && { fingerprint }),
    cache: credentialCache(ctx),
    ...(interactive && {
      confirmFingerprint: async (fp: string, expected: string | undefined) => {
        if (expected !== undefined) {
          log(ctx, 'WARNING: certificate fingerprint does not match expected fingerprint!');
          log(ctx, `expected:    ${expected}`);
        }
        return confirmFingerprint(ctx.terminal, fp);
      },
      promptPassword: (authId: string) => readPassword(ctx.terminal, `Password for "${authId}": `),
    }),
  });
}

export interface CryptoOptions {
  readonly cryptMode?: string;
  readonly keyfile?: string;
  readonly keyfd?: string;
}

export function defaultKeyPath(ctx: CliContext): string {
  return path.join(ctx.env.configDir, 'proxmox-backup', 'encryption-key.json');
}

function checkCryptMode(mode: string | undefined): CryptMode | undefined {
  if (mode === undefined || mode === 'none' || mode === 'encrypt' || mode === 'sign-only') return mode;
  throw new AppError('INVALID_ARGUMENT', `invalid crypt mode '${mode}' (none, encrypt or sign-only)`);
}

export async function encryptionPassphrase(ctx: CliContext): Promise<string | undefined> {
  if (ctx.env.encryptionPassword !== undefined) return ctx.env.encryptionPassword;
  if (isInteractive(ctx.terminal)) return readPassword(ctx.terminal, 'Encryption Key Password: ');
  return undefined;
}

export interface CliCrypto {
  readonly params: CryptoParams;
  readonly crypt?: CryptConfig;
  readonly key?: Buffer;
  readonly fingerprint?: string;
}

export async function cryptoOf(ctx: CliContext, opts: CryptoOptions): Promise<CliCrypto> {
  const cryptMode = checkCryptMode(opts.cryptMode);
  const params = await resolveCryptoParams({
    ...(cryptMode !== undefined && { cryptMode }),
    ...(opts.keyfile !== undefined && { keyfile: opts.keyfile }),
    ...(opts.keyfd !== undefined && { keyfd: readFileSync(Number(opts.keyfd)) }),
    defaultKeyPath: defaultKeyPath(ctx),
  });
  if (!params.key) return { params };
  log(ctx, describeKeySource(params.key.source));
  const unlocked = await unlockKey(params.key, () => encryptionPassphrase(ctx));
  return { params, crypt: unlocked.crypt, key: unlocked.key, fingerprint: unlocked.fingerprint };
}
