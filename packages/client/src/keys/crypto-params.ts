import fs from 'node:fs/promises';
import { AppError } from '@pbs/api-types/errors';
import { CryptConfig, decryptKeyConfig, parseKeyConfig, type CryptMode } from '@pbs/datastore';

/*
 * Which key a command uses and in which crypt mode (pbs-client tools/key_source.rs
 * crypto_parameters): no --crypt-mode → encrypt if a key is given or the default key file
 * exists, else none; --crypt-mode none refuses a key; encrypt/sign-only need --keyfile/--keyfd or
 * the default key. The master public key (RSA key escrow) is not supported.
 */

export type KeySource =
  | { readonly kind: 'default'; readonly path: string }
  | { readonly kind: 'fd' }
  | { readonly kind: 'path'; readonly path: string };

export interface KeyWithSource {
  readonly source: KeySource;
  readonly data: Buffer;
}

export interface CryptoParams {
  readonly mode: CryptMode;
  readonly key?: KeyWithSource;
}

export interface CryptoInput {
  readonly cryptMode?: CryptMode;
  readonly keyfile?: string;
  /** contents read from --keyfd */
  readonly keyfd?: Buffer;
  /** the default key file (XDG config dir/proxmox-backup/encryption-key.json) */
  readonly defaultKeyPath: string;
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError(
      'INVALID_ARGUMENT',
      `unable to read default encryption key file '${path}' - ${(err as Error).message}`,
    );
  }
}

async function readKey(path: string): Promise<Buffer> {
  try {
    return await fs.readFile(path);
  } catch (err) {
    throw new AppError('INVALID_ARGUMENT', `unable to read key file '${path}' - ${(err as Error).message}`);
  }
}

export async function resolveCryptoParams(input: CryptoInput): Promise<CryptoParams> {
  if (input.keyfile !== undefined && input.keyfd !== undefined) {
    throw new AppError('INVALID_ARGUMENT', '--keyfile and --keyfd are mutually exclusive');
  }
  let key: KeyWithSource | undefined;
  if (input.keyfile !== undefined)
    key = { source: { kind: 'path', path: input.keyfile }, data: await readKey(input.keyfile) };
  else if (input.keyfd !== undefined) key = { source: { kind: 'fd' }, data: input.keyfd };
  const defaultKey = async (): Promise<KeyWithSource | undefined> => {
    const data = await readOptional(input.defaultKeyPath);
    return data ? { source: { kind: 'default', path: input.defaultKeyPath }, data } : undefined;
  };
  switch (input.cryptMode) {
    case undefined: {
      const k = key ?? (await defaultKey());
      return k ? { mode: 'encrypt', key: k } : { mode: 'none' };
    }
    case 'none':
      if (key)
        throw new AppError(
          'INVALID_ARGUMENT',
          '--keyfile/--keyfd and --crypt-mode=none are mutually exclusive',
        );
      return { mode: 'none' };
    default: {
      const k = key ?? (await defaultKey());
      if (!k)
        throw new AppError(
          'INVALID_ARGUMENT',
          '--crypt-mode without --keyfile and no default key file available',
        );
      return { mode: input.cryptMode, key: k };
    }
  }
}

export function describeKeySource(source: KeySource, keyType = 'encryption'): string {
  switch (source.kind) {
    case 'default':
      return `Using default ${keyType} key..`;
    case 'fd':
      return `Using ${keyType} key from file descriptor..`;
    case 'path':
      return `Using ${keyType} key from '${source.path}'..`;
  }
}

export interface UnlockedCrypt {
  readonly crypt: CryptConfig;
  /** the raw 32-byte key (for encoder worker threads) */
  readonly key: Buffer;
  /** colon hex */
  readonly fingerprint: string;
  readonly created: number;
}

/**
 * decrypt_key: parses the key file and unlocks it; the passphrase is asked for only when the key
 * has a KDF (PBS_ENCRYPTION_PASSWORD or a terminal prompt, supplied by the caller).
 */
export async function unlockKey(
  key: KeyWithSource,
  passphrase: () => Promise<string | undefined>,
): Promise<UnlockedCrypt> {
  const what = key.source.kind === 'fd' ? 'key from file descriptor' : `key file '${key.source.path}'`;
  const config = parseKeyConfig(key.data, what);
  let pass: string | undefined;
  if (config.kdf) {
    pass = await passphrase();
    if (pass === undefined) {
      throw new AppError(
        'INVALID_ARGUMENT',
        `${what}: no password input mechanism available (set PBS_ENCRYPTION_PASSWORD or run on a terminal)`,
      );
    }
  }
  const unlocked = await decryptKeyConfig(config, pass, what);
  return {
    crypt: CryptConfig.fromKey(unlocked.key),
    key: unlocked.key,
    fingerprint: unlocked.fingerprint,
    created: unlocked.created,
  };
}
