import { AppError } from '@pbs/api-types/errors';
import { DataBlob, type CryptConfig, type Digest } from '@pbs/datastore';

/*
 * A downloaded chunk's plaintext (RemoteChunkReader::read_chunk): CRC checked, the crypt state
 * must match the index's crypt mode, decrypted with the key if encrypted, decompressed, and the
 * digest (keyed when encrypted) must match.
 */

export type CryptModeName = 'none' | 'encrypt' | 'sign-only';

export function decodeChunk(
  raw: Buffer,
  digest: Digest,
  cryptMode: CryptModeName,
  crypt?: CryptConfig,
): Buffer {
  const blob = DataBlob.load(raw, `chunk ${digest}`);
  if (cryptMode === 'encrypt' && !blob.isEncrypted) {
    throw new AppError('CORRUPT_DATA', `chunk ${digest}: unencrypted chunk in an encrypted index`);
  }
  if (cryptMode !== 'encrypt' && blob.isEncrypted) {
    throw new AppError('CORRUPT_DATA', `chunk ${digest}: encrypted chunk in an unencrypted index`);
  }
  return blob.decode({ ...(crypt && { crypt }), digest });
}
