import { AppError } from '@pbs/api-types/errors';
import { DataBlob } from '../data-blob.js';
import type { Digest } from '../digest.js';
import { parseDigest } from '../digest.js';

/*
 * What the server checks on uploads (pbs-formats §2.4, api2/backup/upload_chunk.rs): a chunk is
 * parsed, an unencrypted one decoded and checked against its digest and size, and its CRC
 * recomputed (the client's is not trusted); a blob's CRC must already be right. Sizes are the
 * protocol limits. Bad input is the client's fault: INVALID_ARGUMENT, never CORRUPT_DATA.
 */

export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
/** largest encoded chunk or blob an upload may carry (plaintext limit plus the encrypted header) */
export const MAX_ENCODED_SIZE = MAX_CHUNK_SIZE + 44;

function rejected(what: string, err: unknown): AppError {
  const reason = err instanceof Error ? err.message : String(err);
  return new AppError('INVALID_ARGUMENT', `${what}: ${reason}`, { cause: err });
}

function asBlob(data: DataBlob | Buffer, what: string): DataBlob {
  if (data instanceof DataBlob) return data;
  if (!Buffer.isBuffer(data))
    throw new AppError('INVALID_ARGUMENT', `${what}: expected a Buffer or a DataBlob`);
  try {
    return DataBlob.fromRaw(data, what);
  } catch (err) {
    throw rejected(what, err);
  }
}

/**
 * A verified chunk ready for the store, with its plaintext size (when the server can know it).
 * The CRC is rewritten in place in the blob's bytes.
 */
export function checkUploadedChunk(
  digestHex: string,
  data: DataBlob | Buffer,
  size: number | undefined,
): { digest: Digest; blob: DataBlob; size: number | undefined } {
  const digest = parseDigest(digestHex);
  const what = `upload of chunk ${digest}`;
  const blob = asBlob(data, what);
  if (blob.raw.length > MAX_ENCODED_SIZE)
    throw new AppError('INVALID_ARGUMENT', `${what}: encoded chunk too large (${blob.raw.length} bytes)`);
  if (size !== undefined && (!Number.isSafeInteger(size) || size <= 0 || size > MAX_CHUNK_SIZE)) {
    throw new AppError('INVALID_ARGUMENT', `${what}: invalid chunk size ${size}`);
  }
  let plainSize = size;
  if (!blob.isEncrypted) {
    try {
      const plain = blob.decode({ digest });
      if (size !== undefined && plain.length !== size)
        throw new Error(`wrong length (expected ${size}, got ${plain.length})`);
      plainSize = plain.length;
    } catch (err) {
      throw rejected(what, err);
    }
  }
  blob.updateCrc();
  return { digest, blob, size: plainSize };
}

/** An uploaded blob: parsed and CRC-verified, stored unchanged. */
export function checkUploadedBlob(name: string, data: DataBlob | Buffer): DataBlob {
  const what = `upload of blob '${name}'`;
  const blob = asBlob(data, what);
  if (blob.raw.length > MAX_ENCODED_SIZE)
    throw new AppError('INVALID_ARGUMENT', `${what}: blob too large (${blob.raw.length} bytes)`);
  try {
    blob.verifyCrc();
  } catch (err) {
    throw rejected(what, err);
  }
  return blob;
}
