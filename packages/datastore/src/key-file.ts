import { pbkdf2, randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { promisify } from 'node:util';
import { AppError } from '@pbs/api-types/errors';
import { aesGcmDecrypt, aesGcmEncrypt, CryptConfig, IV_SIZE, KEY_SIZE, TAG_SIZE } from './crypt-config.js';
import { parseFingerprint } from './fingerprint.js';
import type { KeyConfig, KeyDerivationConfig } from './key-config.js';

/*
 * Unlocking and creating key files (pbs-key-config KeyConfig::decrypt / with_key). The KDFs run
 * on the thread pool (async scrypt/pbkdf2): scrypt with n = 65536 takes a noticeable fraction of
 * a second and 64 MiB, which must not stall the event loop.
 */

const scryptAsync = promisify(scrypt) as (
  password: Uint8Array | string,
  salt: Uint8Array,
  keylen: number,
  options: ScryptOptions,
) => Promise<Buffer>;
const pbkdf2Async = promisify(pbkdf2);

/** PBS passes 1025 MiB as scrypt's memory limit */
const SCRYPT_MAXMEM = 1025 * 1024 * 1024;
const MIN_PASSPHRASE = 5;

export type Passphrase = string | Uint8Array;

export async function deriveKey(kdf: KeyDerivationConfig, passphrase: Passphrase): Promise<Buffer> {
  if (kdf.kind === 'scrypt') {
    return scryptAsync(passphrase, kdf.salt, KEY_SIZE, {
      N: kdf.n,
      r: kdf.r,
      p: kdf.p,
      maxmem: SCRYPT_MAXMEM,
    });
  }
  return pbkdf2Async(passphrase, kdf.salt, kdf.iter, KEY_SIZE, 'sha256');
}

export interface UnlockedKey {
  readonly key: Buffer;
  readonly created: number;
  /** colon hex of the key's own fingerprint */
  readonly fingerprint: string;
}

async function unwrapKey(
  config: KeyConfig,
  kdf: KeyDerivationConfig,
  passphrase: Passphrase | undefined,
  what: string,
) {
  if (passphrase === undefined) throw new AppError('INVALID_ARGUMENT', `${what}: a passphrase is required`);
  if (passphrase.length < MIN_PASSPHRASE)
    throw new AppError('INVALID_ARGUMENT', `${what}: passphrase is too short`);
  const derived = await deriveKey(kdf, passphrase);
  if (config.data.length < IV_SIZE + TAG_SIZE)
    throw new AppError('CORRUPT_DATA', `${what}: unable to decrypt key - short data`);
  const iv = config.data.subarray(0, IV_SIZE);
  const tag = config.data.subarray(IV_SIZE, IV_SIZE + TAG_SIZE);
  try {
    return aesGcmDecrypt(derived, config.data.subarray(IV_SIZE + TAG_SIZE), iv, tag);
  } catch (err) {
    const why = config.hint !== undefined ? `password hint: ${config.hint}` : 'wrong passphrase?';
    throw new AppError('INVALID_ARGUMENT', `${what}: unable to decrypt key (${why})`, { cause: err });
  }
}

/** KeyConfig::decrypt: the raw key, checked against the stored fingerprint. */
export async function decryptKeyConfig(
  config: KeyConfig,
  passphrase?: Passphrase,
  what = 'key file',
): Promise<UnlockedKey> {
  const key = config.kdf ? await unwrapKey(config, config.kdf, passphrase, what) : config.data;
  if (key.length !== KEY_SIZE)
    throw new AppError('CORRUPT_DATA', `${what}: key has ${key.length} bytes, expected ${KEY_SIZE}`);
  const crypt = CryptConfig.fromKey(key);
  const fingerprint = crypt.fingerprintString();
  if (
    config.fingerprint !== undefined &&
    !parseFingerprint(config.fingerprint, what).equals(crypt.fingerprint())
  ) {
    throw new AppError(
      'CORRUPT_DATA',
      `${what}: contains wrong fingerprint ${config.fingerprint}, contained key has fingerprint ${fingerprint}`,
    );
  }
  return { key: Buffer.from(key), created: config.created, fingerprint };
}

export interface CreateKeyConfigOptions {
  readonly kdf: 'none' | 'scrypt' | 'pbkdf2';
  /** required with a KDF */
  readonly passphrase?: Passphrase;
  /** creation time, epoch seconds */
  readonly now: number;
  readonly hint?: string;
  /** fixed salt and IV instead of random ones: only for reproducible tests */
  readonly salt?: Uint8Array;
  readonly iv?: Uint8Array;
}

function newKdf(kind: 'scrypt' | 'pbkdf2', salt: Uint8Array | undefined): KeyDerivationConfig {
  const s = Buffer.from(salt ?? randomBytes(32));
  return kind === 'scrypt' ? { kind, n: 65536, r: 8, p: 1, salt: s } : { kind, iter: 65535, salt: s };
}

/** KeyConfig::with_key / without_password with PBS's KDF parameters. */
export async function createKeyConfig(rawKey: Uint8Array, opts: CreateKeyConfigOptions): Promise<KeyConfig> {
  const fingerprint = CryptConfig.fromKey(rawKey).fingerprintString();
  const base = {
    created: opts.now,
    modified: opts.now,
    fingerprint,
    ...(opts.hint !== undefined && { hint: opts.hint }),
  };
  if (opts.kdf === 'none') return { kdf: null, data: Buffer.from(rawKey), ...base };
  if (opts.passphrase === undefined || opts.passphrase.length < MIN_PASSPHRASE) {
    throw new AppError('INVALID_ARGUMENT', 'key file: passphrase is too short');
  }
  const kdf = newKdf(opts.kdf, opts.salt);
  const enc = aesGcmEncrypt(await deriveKey(kdf, opts.passphrase), rawKey, opts.iv);
  return { kdf, data: Buffer.concat([enc.iv, enc.tag, enc.ciphertext]), ...base };
}
