/*
 * Tape encryption keys (PBS tape/encryption_keys.rs): the raw 256-bit keys in
 * `tape-encryption-keys.json` (mode 0600; fingerprint → hex key) and, for each, its key config
 * — the key wrapped with a password (scrypt), the hint and the creation time — in
 * `tape-encryption-key-config.json`, so a lost server can restore the key from the config (a
 * paper key) and its password. The fingerprint is the datastore key fingerprint of the key.
 * A media set written with a pool key uses the drive key `key XOR media-set UUID` (the UUID's
 * 16 bytes over the first 16 key bytes), so every set has its own drive key.
 */
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import { replaceFileAtomic, withFileLock } from '@pbs/config';
import {
  CryptConfig,
  createKeyConfig,
  decryptKeyConfig,
  parseKeyConfig,
  serializeKeyConfig,
  type KeyConfig,
} from '@pbs/datastore';
import { uuidToBytes } from '../format/content-header.js';

export const TAPE_KEYS_FILE = 'tape-encryption-keys.json';
export const TAPE_KEY_CONFIG_FILE = 'tape-encryption-key-config.json';

export interface TapeKeyInfo {
  fingerprint: string;
  hint?: string;
  created: number;
}

/** the drive key of one media set */
export function mediaSetDriveKey(key: Buffer, mediaSetUuid: string): Buffer {
  const out = Buffer.from(key);
  const uuid = uuidToBytes(mediaSetUuid);
  for (let i = 0; i < 16; i++) out[i] = (out[i] ?? 0) ^ (uuid[i] ?? 0);
  return out;
}

async function readMap(file: string): Promise<Record<string, string>> {
  try {
    return JSON.parse(await fsp.readFile(file, 'utf8')) as Record<string, string>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new AppError('CORRUPT_DATA', `'${file}' is not readable JSON`, { cause: err });
  }
}

export class TapeKeyStore {
  constructor(private readonly dir: string) {}

  private get keysFile(): string {
    return path.join(this.dir, TAPE_KEYS_FILE);
  }

  private get configFile(): string {
    return path.join(this.dir, TAPE_KEY_CONFIG_FILE);
  }

  private async update(
    fn: (keys: Record<string, string>, configs: Record<string, string>) => void,
  ): Promise<void> {
    await fsp.mkdir(this.dir, { recursive: true });
    await withFileLock(path.join(this.dir, '.tape-encryption-keys.lck'), { timeoutMs: 10_000 }, async () => {
      const keys = await readMap(this.keysFile);
      const configs = await readMap(this.configFile);
      fn(keys, configs);
      await replaceFileAtomic(this.keysFile, JSON.stringify(keys, null, 2), { mode: 0o600 });
      await replaceFileAtomic(this.configFile, JSON.stringify(configs, null, 2), { mode: 0o640 });
    });
  }

  async list(): Promise<TapeKeyInfo[]> {
    const configs = await readMap(this.configFile);
    return Object.entries(configs).map(([fingerprint, text]) => {
      const config = parseKeyConfig(text, `tape key ${fingerprint}`);
      return {
        fingerprint,
        created: config.created,
        ...(config.hint !== undefined ? { hint: config.hint } : {}),
      };
    });
  }

  /** the raw key, or undefined when this server does not have it */
  async key(fingerprint: string): Promise<Buffer | undefined> {
    const hex = (await readMap(this.keysFile))[fingerprint];
    return hex === undefined ? undefined : Buffer.from(hex, 'hex');
  }

  /** the key config (password-wrapped key) as JSON, for a paper key */
  async keyConfig(fingerprint: string): Promise<string> {
    const text = (await readMap(this.configFile))[fingerprint];
    if (text === undefined)
      throw new AppError('NOT_FOUND', `tape encryption key ${fingerprint} does not exist`);
    return text;
  }

  private async add(key: Buffer, config: KeyConfig): Promise<string> {
    const fingerprint = CryptConfig.fromKey(key).fingerprintString();
    await this.update((keys, configs) => {
      if (keys[fingerprint] !== undefined) {
        throw new AppError('ALREADY_EXISTS', `tape encryption key ${fingerprint} already exists`);
      }
      keys[fingerprint] = key.toString('hex');
      configs[fingerprint] = serializeKeyConfig(config);
    });
    return fingerprint;
  }

  /** a new random key, wrapped with the password; resolves its fingerprint */
  async create(opts: { password: string; hint?: string; now: number }): Promise<string> {
    const key = randomBytes(32);
    const config = await createKeyConfig(key, {
      kdf: 'scrypt',
      passphrase: opts.password,
      now: opts.now,
      hint: opts.hint,
    });
    return this.add(key, config);
  }

  /** restores a key from its key config (paper key) and password */
  async restore(opts: { keyConfig: string; password: string }): Promise<string> {
    const config = parseKeyConfig(opts.keyConfig, 'tape key config');
    const unlocked = await decryptKeyConfig(config, opts.password, 'tape key config');
    return this.add(unlocked.key, config);
  }

  async remove(fingerprint: string): Promise<void> {
    await this.update((keys, configs) => {
      if (configs[fingerprint] === undefined && keys[fingerprint] === undefined) {
        throw new AppError('NOT_FOUND', `tape encryption key ${fingerprint} does not exist`);
      }
      delete keys[fingerprint];
      delete configs[fingerprint];
    });
  }
}
