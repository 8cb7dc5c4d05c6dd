import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import {
  createKeyConfig,
  decryptKeyConfig,
  KEY_SIZE,
  parseKeyConfig,
  serializeKeyConfig,
  type KeyConfig,
} from '@pbs/datastore';

/*
 * `key create | change-passphrase | show` on PBS key files (pbs-key-config KeyConfig): a new
 * random 32-byte key, stored without KDF or wrapped with scrypt (n=65536, r=8, p=1) or PBKDF2;
 * change-passphrase keeps the key and its creation time; show reports KeyInfo. Files are written
 * atomically, mode 0600; create never replaces an existing file.
 */

export type Kdf = 'none' | 'scrypt' | 'pbkdf2';

export interface KeyInfo {
  readonly path?: string;
  readonly kdf: Kdf;
  readonly created: number;
  readonly modified: number;
  readonly fingerprint?: string;
  readonly hint?: string;
}

export async function readKeyFile(file: string): Promise<KeyConfig> {
  let text: Buffer;
  try {
    text = await fs.readFile(file);
  } catch (err) {
    throw new AppError('NOT_FOUND', `unable to read key file '${file}' - ${(err as Error).message}`);
  }
  return parseKeyConfig(text, `key file '${file}'`);
}

async function storeKeyFile(file: string, config: KeyConfig, replace: boolean): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const text = serializeKeyConfig(config);
  if (!replace) {
    try {
      await fs.writeFile(file, text, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new AppError('ALREADY_EXISTS', `key file '${file}' already exists`);
      }
      throw err;
    }
    return;
  }
  const tmp = `${file}.tmp_${process.pid}`;
  await fs.writeFile(tmp, text, { mode: 0o600 });
  await fs.rename(tmp, file);
}

export interface CreateKeyOptions {
  readonly kdf: Kdf;
  readonly passphrase?: string;
  readonly hint?: string;
  /** epoch seconds */
  readonly now: number;
}

function checkHint(kdf: Kdf, hint: string | undefined): void {
  if (kdf === 'none' && hint !== undefined) {
    throw new AppError('INVALID_ARGUMENT', 'password hint not allowed for Kdf::None');
  }
}

/** A new random key in `file`; returns its info. */
export async function createKeyFile(file: string, opts: CreateKeyOptions): Promise<KeyInfo> {
  checkHint(opts.kdf, opts.hint);
  const config = await createKeyConfig(randomBytes(KEY_SIZE), {
    kdf: opts.kdf,
    now: opts.now,
    ...(opts.passphrase !== undefined && { passphrase: opts.passphrase }),
    ...(opts.hint !== undefined && { hint: opts.hint }),
  });
  await storeKeyFile(file, config, false);
  return keyInfo(config, file);
}

export interface ChangePassphraseOptions extends CreateKeyOptions {
  /** the current passphrase (keys with a KDF) */
  readonly oldPassphrase?: string;
}

/** Re-wraps the key of `file` (same key, same creation time). */
export async function changeKeyPassphrase(file: string, opts: ChangePassphraseOptions): Promise<KeyInfo> {
  checkHint(opts.kdf, opts.hint);
  const old = await readKeyFile(file);
  const unlocked = await decryptKeyConfig(old, opts.oldPassphrase, `key file '${file}'`);
  const fresh = await createKeyConfig(unlocked.key, {
    kdf: opts.kdf,
    now: opts.now,
    ...(opts.passphrase !== undefined && { passphrase: opts.passphrase }),
    ...(opts.hint !== undefined && { hint: opts.hint }),
  });
  const config: KeyConfig = { ...fresh, created: unlocked.created };
  await storeKeyFile(file, config, true);
  return keyInfo(config, file);
}

export function keyInfo(config: KeyConfig, file?: string): KeyInfo {
  return {
    ...(file !== undefined && { path: file }),
    kdf: config.kdf ? config.kdf.kind : 'none',
    created: config.created,
    modified: config.modified,
    ...(config.fingerprint !== undefined && { fingerprint: config.fingerprint }),
    ...(config.hint !== undefined && { hint: config.hint }),
  };
}
