import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  pbkdf2Sync,
  randomBytes,
} from 'node:crypto';
import { AppError } from '@pbs/api-types/errors';
import type { Digest } from './digest.js';
import { formatFingerprint } from './fingerprint.js';

/*
 * PBS CryptConfig (pbs-tools/src/crypt_config.rs, pbs-formats §2.3). The 32-byte key is the
 * AES-256-GCM key; id_key = PBKDF2-HMAC-SHA256(key, "_id_key", 10 iterations) keys everything
 * that must not reveal data: chunk digests sha256(data || id_key) (appended, not an HMAC),
 * the fingerprint and the manifest signature HMAC-SHA256(id_key, …).
 */

export const KEY_SIZE = 32;
export const IV_SIZE = 16;
export const TAG_SIZE = 16;
/** sha256("Proxmox Backup Encryption Key Fingerprint") */
export const FINGERPRINT_INPUT: Readonly<Buffer> = Buffer.from(
  '6ed0ef77471fff4d55c7a8fe4a9db62161407f134c725ddf30992d25ec45ed26',
  'hex',
);

export interface EncryptedData {
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

/** AES-256-GCM with a 16-byte IV and empty AAD, as PBS uses it for blobs and key files. */
export function aesGcmEncrypt(
  key: Uint8Array,
  data: Uint8Array,
  iv: Uint8Array = randomBytes(IV_SIZE),
): EncryptedData {
  if (iv.length !== IV_SIZE) throw new AppError('INVALID_ARGUMENT', `iv must have ${IV_SIZE} bytes`);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_SIZE });
  const first = cipher.update(data);
  const last = cipher.final();
  const ciphertext = last.length === 0 ? first : Buffer.concat([first, last]);
  return { iv: Buffer.from(iv), tag: cipher.getAuthTag(), ciphertext };
}

/** CORRUPT_DATA if the tag does not authenticate the data under `key`. */
export function aesGcmDecrypt(
  key: Uint8Array,
  ciphertext: Uint8Array,
  iv: Uint8Array,
  tag: Uint8Array,
): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_SIZE });
    decipher.setAuthTag(tag);
    const first = decipher.update(ciphertext);
    const last = decipher.final();
    return last.length === 0 ? first : Buffer.concat([first, last]);
  } catch (err) {
    throw new AppError('CORRUPT_DATA', 'decryption failed (wrong key or corrupt data)', { cause: err });
  }
}

export class CryptConfig {
  private constructor(
    private readonly encKey: Buffer,
    private readonly idKeyBytes: Buffer,
  ) {}

  /** INVALID_ARGUMENT unless `key` has 32 bytes. */
  static fromKey(key: Uint8Array): CryptConfig {
    if (key.length !== KEY_SIZE) {
      throw new AppError('INVALID_ARGUMENT', `encryption key must have ${KEY_SIZE} bytes, got ${key.length}`);
    }
    const encKey = Buffer.from(key);
    return new CryptConfig(encKey, pbkdf2Sync(encKey, '_id_key', 10, KEY_SIZE, 'sha256'));
  }

  /** A copy of the derived id_key. */
  get idKey(): Buffer {
    return Buffer.from(this.idKeyBytes);
  }

  /** Keyed chunk digest: sha256(data || id_key). */
  computeDigest(data: Uint8Array): Digest {
    return createHash('sha256').update(data).update(this.idKeyBytes).digest('hex') as Digest;
  }

  /** HMAC-SHA256 keyed with id_key (manifest signatures). */
  computeAuthTag(data: Uint8Array | string): Buffer {
    return createHmac('sha256', this.idKeyBytes).update(data).digest();
  }

  fingerprint(): Buffer {
    return createHash('sha256').update(FINGERPRINT_INPUT).update(this.idKeyBytes).digest();
  }

  /** Full fingerprint as colon hex, the form manifests and key files carry. */
  fingerprintString(): string {
    return formatFingerprint(this.fingerprint());
  }

  /** AES-256-GCM with a 16-byte IV (random unless given, for reproducible tests) and empty AAD. */
  encrypt(data: Uint8Array, iv?: Uint8Array): EncryptedData {
    return aesGcmEncrypt(this.encKey, data, iv);
  }

  /** CORRUPT_DATA if the tag does not authenticate the data under this key. */
  decrypt(ciphertext: Uint8Array, iv: Uint8Array, tag: Uint8Array): Buffer {
    return aesGcmDecrypt(this.encKey, ciphertext, iv, tag);
  }
}
