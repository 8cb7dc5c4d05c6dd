import { AppError } from '@pbs/api-types/errors';
import type { CryptConfig } from './crypt-config.js';
import { DataBlob } from './data-blob.js';
import { parseFingerprint, shortFingerprint } from './fingerprint.js';
import { toCanonicalJson } from './json-format.js';
import {
  formatManifest,
  MANIFEST_BLOB_NAME,
  parseManifest,
  signedManifestJson,
  type BackupManifest,
} from './manifest.js';

/*
 * Manifest signatures (pbs-formats §4.3): HMAC-SHA256 with the key's id_key over the canonical
 * JSON of the manifest without `unprotected` and `signature`. A signing client also records the
 * key's fingerprint in `unprotected["key-fingerprint"]`.
 */

const KEY_FINGERPRINT = 'key-fingerprint';

/** Hex HMAC over the signed part of the manifest. */
export function computeManifestSignature(m: BackupManifest, crypt: CryptConfig): string {
  return crypt.computeAuthTag(toCanonicalJson(signedManifestJson(m))).toString('hex');
}

/** The manifest as signed by `crypt`: signature and key-fingerprint set (BackupManifest::to_string). */
export function signManifest(m: BackupManifest, crypt: CryptConfig): BackupManifest {
  return {
    ...m,
    signature: computeManifestSignature(m, crypt),
    unprotected: { ...m.unprotected, [KEY_FINGERPRINT]: crypt.fingerprintString() },
  };
}

/** The recorded key fingerprint (32 bytes), if any; CORRUPT_DATA if it is malformed. */
export function manifestFingerprint(m: BackupManifest, what = 'manifest'): Buffer | undefined {
  const value = m.unprotected[KEY_FINGERPRINT];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new AppError('CORRUPT_DATA', `${what}: invalid key-fingerprint`);
  return parseFingerprint(value, what);
}

/**
 * check_fingerprint: a manifest made with a key needs that key; an unsigned one goes with any.
 * INVALID_ARGUMENT names both fingerprints (short form) when the key is missing or wrong.
 */
export function checkManifestFingerprint(
  m: BackupManifest,
  crypt: CryptConfig | undefined,
  what = 'manifest',
): void {
  const recorded = manifestFingerprint(m, what);
  if (!recorded) return;
  if (!crypt) {
    throw new AppError(
      'INVALID_ARGUMENT',
      `${what}: missing key - manifest was created with key ${shortFingerprint(recorded)}`,
    );
  }
  if (!recorded.equals(crypt.fingerprint())) {
    throw new AppError(
      'INVALID_ARGUMENT',
      `${what}: wrong key - manifest's key ${shortFingerprint(recorded)} does not match provided key ${shortFingerprint(crypt.fingerprint())}`,
    );
  }
}

/** check_signature: an unsigned manifest passes; a signed one must match key and HMAC. */
export function verifyManifestSignature(m: BackupManifest, crypt: CryptConfig, what = 'manifest'): void {
  if (m.signature === null) return;
  checkManifestFingerprint(m, crypt, what);
  const expected = computeManifestSignature(m, crypt);
  if (m.signature !== expected) throw new AppError('CORRUPT_DATA', `${what}: wrong signature in manifest`);
}

/** Parses a loaded (CRC-checked) index.json.blob; with a key, the signature is verified too. */
export function decodeManifestBlob(blob: DataBlob, crypt?: CryptConfig): BackupManifest {
  const m = parseManifest(blob.decode(), blob.what);
  if (crypt) verifyManifestSignature(m, crypt, blob.what);
  return m;
}

/** index.json.blob: the pretty JSON, compressed if that helps, never encrypted. */
export function encodeManifestBlob(m: BackupManifest): DataBlob {
  return DataBlob.encode(Buffer.from(formatManifest(m), 'utf8'), { what: `blob '${MANIFEST_BLOB_NAME}'` });
}
