import { AppError } from '@pbs/api-types/errors';
import type { JsonValue } from './json-format.js';
import { toPrettyJson } from './json-format.js';
import { isBackupType, isCryptMode, type BackupType, type CryptMode } from './names.js';

/*
 * The snapshot manifest `index.json` (pbs-datastore/src/manifest.rs, pbs-formats §4). Parsing
 * keeps exactly the fields PBS's BackupManifest struct keeps (unknown top-level and file keys
 * are dropped, as serde does), so a re-serialised manifest is what PBS would write.
 */

export const MANIFEST_BLOB_NAME = 'index.json.blob';
export const MANIFEST_LOCK_NAME = '.index.json.lck';
export const CLIENT_LOG_BLOB_NAME = 'client.log.blob';

export interface ManifestFile {
  readonly filename: string;
  /** `none` when missing (pre-0.8 backups) */
  readonly cryptMode: CryptMode;
  /** index: data bytes; blob: encoded file size */
  readonly size: number;
  /** index: index_csum; blob: sha256 of the file; 64 lowercase hex */
  readonly csum: string;
}

export interface BackupManifest {
  readonly backupType: BackupType;
  readonly backupId: string;
  /** epoch seconds */
  readonly backupTime: number;
  readonly files: readonly ManifestFile[];
  /** not covered by the signature: verify_state, notes, chunk_upload_stats, key-fingerprint, … */
  readonly unprotected: Readonly<Record<string, JsonValue>>;
  /** hex HMAC, or null when unsigned (serialised as null, never skipped) */
  readonly signature: string | null;
}

type Json = Record<string, unknown>;

function bad(what: string, reason: string, cause?: unknown): AppError {
  return new AppError('CORRUPT_DATA', `${what}: ${reason}`, { cause });
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function u64(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function parseFile(entry: unknown, i: number, what: string): ManifestFile {
  const where = `files[${i}]`;
  if (!isObject(entry)) throw bad(what, `${where} is not an object`);
  const { filename, size, csum } = entry;
  const cryptMode = entry['crypt-mode'] ?? 'none';
  if (typeof filename !== 'string') throw bad(what, `${where}: 'filename' must be a string`);
  if (!isCryptMode(cryptMode)) throw bad(what, `${where}: invalid crypt-mode ${JSON.stringify(cryptMode)}`);
  if (!u64(size)) throw bad(what, `${where}: 'size' must be a non-negative integer`);
  if (typeof csum !== 'string' || !/^[0-9a-fA-F]{64}$/.test(csum)) {
    throw bad(what, `${where}: 'csum' must be 32 bytes of hex`);
  }
  return { filename, cryptMode, size, csum: csum.toLowerCase() };
}

function parseHeader(
  json: Json,
  what: string,
): Pick<BackupManifest, 'backupType' | 'backupId' | 'backupTime'> {
  const backupType = json['backup-type'];
  const backupId = json['backup-id'];
  const backupTime = json['backup-time'];
  if (!isBackupType(backupType)) throw bad(what, `invalid backup-type ${JSON.stringify(backupType)}`);
  if (typeof backupId !== 'string') throw bad(what, "'backup-id' must be a string");
  if (typeof backupTime !== 'number' || !Number.isSafeInteger(backupTime)) {
    throw bad(what, "'backup-time' must be an integer");
  }
  return { backupType, backupId, backupTime };
}

function parseUnprotected(value: unknown, what: string): Record<string, JsonValue> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw bad(what, "'unprotected' must be an object");
  return value as Record<string, JsonValue>;
}

function parseSignature(value: unknown, what: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw bad(what, "'signature' must be a string or null");
  return value;
}

/** Parses index.json; CORRUPT_DATA naming `what` for anything PBS could not deserialise. */
export function parseManifest(text: string | Buffer, what = 'manifest'): BackupManifest {
  let json: unknown;
  try {
    json = JSON.parse(text.toString());
  } catch (err) {
    throw bad(what, 'unable to parse backup manifest json', err);
  }
  if (!isObject(json)) throw bad(what, 'not a JSON object');
  if (!Array.isArray(json.files)) throw bad(what, "'files' must be an array");
  return {
    ...parseHeader(json, what),
    files: json.files.map((f, i) => parseFile(f, i, what)),
    unprotected: parseUnprotected(json.unprotected, what),
    signature: parseSignature(json.signature, what),
  };
}

function fileJson(file: ManifestFile): JsonValue {
  return { filename: file.filename, 'crypt-mode': file.cryptMode, size: file.size, csum: file.csum };
}

/** The part of the manifest the signature covers (everything but unprotected and signature). */
export function signedManifestJson(m: BackupManifest): { [key: string]: JsonValue } {
  return {
    'backup-type': m.backupType,
    'backup-id': m.backupId,
    'backup-time': m.backupTime,
    files: m.files.map(fileJson),
  };
}

/** index.json as PBS writes it: serde_json pretty (sorted keys, 2-space indent). */
export function formatManifest(m: BackupManifest): string {
  return toPrettyJson({
    ...signedManifestJson(m),
    unprotected: { ...m.unprotected },
    signature: m.signature,
  });
}

/** lookup_file_info: NOT_FOUND if the manifest does not list `name`. */
export function lookupManifestFile(m: BackupManifest, name: string): ManifestFile {
  const file = m.files.find((f) => f.filename === name);
  if (!file) throw new AppError('NOT_FOUND', `manifest does not contain file '${name}'`);
  return file;
}

/** verify_file: CORRUPT_DATA unless `name` is listed with this size and csum. */
export function verifyManifestFile(m: BackupManifest, name: string, csum: string, size: number): void {
  const file = lookupManifestFile(m, name);
  if (size !== file.size) throw bad(`file '${name}'`, `wrong size (${file.size} != ${size})`);
  if (csum.toLowerCase() !== file.csum) throw bad(`file '${name}'`, 'wrong checksum');
}

/** Encrypted indexes reference encrypted chunks; signed and plain ones plain chunks. */
export function chunkCryptModeOf(file: ManifestFile): 'none' | 'encrypt' {
  return file.cryptMode === 'encrypt' ? 'encrypt' : 'none';
}
