import { AppError } from '@pbs/api-types/errors';
import { parseFingerprint } from './fingerprint.js';

/*
 * The PBS KeyConfig JSON (pbs-key-config/src/lib.rs): readers accept any key order; writers use
 * the struct order `kdf, created, modified, data, fingerprint, hint` as serde_json::to_string
 * does, with times as RFC 3339 UTC and bytes as standard base64.
 */

export type KeyDerivationConfig =
  | {
      readonly kind: 'scrypt';
      readonly n: number;
      readonly r: number;
      readonly p: number;
      readonly salt: Buffer;
    }
  | { readonly kind: 'pbkdf2'; readonly iter: number; readonly salt: Buffer };

export interface KeyConfig {
  readonly kdf: KeyDerivationConfig | null;
  /** epoch seconds */
  readonly created: number;
  readonly modified: number;
  /** the raw key without KDF, else iv[16] || tag[16] || AES-256-GCM(derived key, raw key) */
  readonly data: Buffer;
  /** colon hex, as stored */
  readonly fingerprint?: string;
  /** password hint */
  readonly hint?: string;
}

type Json = Record<string, unknown>;

function bad(what: string, reason: string): AppError {
  return new AppError('CORRUPT_DATA', `${what}: ${reason}`);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

function base64Field(obj: Json, key: string, what: string): Buffer {
  const value = obj[key];
  if (typeof value !== 'string' || !BASE64.test(value)) throw bad(what, `'${key}' is not base64`);
  return Buffer.from(value, 'base64');
}

function positiveInt(obj: Json, key: string, what: string): number {
  const value = obj[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw bad(what, `'${key}' must be a positive integer`);
  }
  return value;
}

function epochField(obj: Json, key: string, what: string): number {
  const value = obj[key];
  const ms = typeof value === 'string' && RFC3339.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw bad(what, `'${key}' is not an RFC 3339 time`);
  return Math.floor(ms / 1000);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseKdf(value: unknown, what: string): KeyDerivationConfig | null {
  if (value === null || value === undefined) return null;
  if (isObject(value) && Object.keys(value).length === 1) {
    if (isObject(value.Scrypt)) {
      const s = value.Scrypt;
      const [n, r, p] = ['n', 'r', 'p'].map((k) => positiveInt(s, k, what)) as [number, number, number];
      return { kind: 'scrypt', n, r, p, salt: base64Field(s, 'salt', what) };
    }
    if (isObject(value.PBKDF2)) {
      const s = value.PBKDF2;
      return { kind: 'pbkdf2', iter: positiveInt(s, 'iter', what), salt: base64Field(s, 'salt', what) };
    }
  }
  throw bad(what, '\'kdf\' must be null, {"Scrypt": …} or {"PBKDF2": …}');
}

function optionalString(obj: Json, key: string, what: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw bad(what, `'${key}' must be a string`);
  return value;
}

/** Decodes a key file; CORRUPT_DATA naming `what` for anything PBS would not load. */
export function parseKeyConfig(text: string | Buffer, what = 'key file'): KeyConfig {
  let json: unknown;
  try {
    json = JSON.parse(text.toString());
  } catch (err) {
    throw new AppError('CORRUPT_DATA', `${what}: invalid JSON`, { cause: err });
  }
  if (!isObject(json)) throw bad(what, 'not a JSON object');
  const fingerprint = optionalString(json, 'fingerprint', what);
  if (fingerprint !== undefined) parseFingerprint(fingerprint, what);
  const hint = optionalString(json, 'hint', what);
  return {
    kdf: parseKdf(json.kdf, what),
    created: epochField(json, 'created', what),
    modified: epochField(json, 'modified', what),
    data: base64Field(json, 'data', what),
    ...(fingerprint !== undefined && { fingerprint }),
    ...(hint !== undefined && { hint }),
  };
}

/** proxmox_time::epoch_to_rfc3339_utc */
export function epochToRfc3339Utc(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function kdfJson(kdf: KeyDerivationConfig | null): unknown {
  if (kdf === null) return null;
  if (kdf.kind === 'scrypt') {
    return { Scrypt: { n: kdf.n, r: kdf.r, p: kdf.p, salt: kdf.salt.toString('base64') } };
  }
  return { PBKDF2: { iter: kdf.iter, salt: kdf.salt.toString('base64') } };
}

/** The key file text as PBS writes it (compact JSON, struct order). */
export function serializeKeyConfig(config: KeyConfig): string {
  return JSON.stringify({
    kdf: kdfJson(config.kdf),
    created: epochToRfc3339Utc(config.created),
    modified: epochToRfc3339Utc(config.modified),
    data: config.data.toString('base64'),
    ...(config.fingerprint !== undefined && { fingerprint: config.fingerprint }),
    ...(config.hint !== undefined && { hint: config.hint }),
  });
}
