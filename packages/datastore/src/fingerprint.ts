import { AppError } from '@pbs/api-types/errors';

/*
 * Key fingerprints as pbs-api-types serialises them: all 32 bytes as colon-separated lowercase
 * hex. Parsing accepts what PBS accepts: 64 hex digits of either case with any colons.
 */

export function formatFingerprint(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return hex.replace(/(..)(?!$)/g, '$1:');
}

/** The short display form PBS logs: the first 8 bytes. */
export function shortFingerprint(bytes: Uint8Array): string {
  return formatFingerprint(bytes.subarray(0, 8));
}

/** CORRUPT_DATA naming `what` unless `text` is a 32-byte fingerprint. */
export function parseFingerprint(text: string, what: string): Buffer {
  const hex = text.replaceAll(':', '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new AppError('CORRUPT_DATA', `${what}: invalid key fingerprint '${text}'`);
  }
  return Buffer.from(hex, 'hex');
}
