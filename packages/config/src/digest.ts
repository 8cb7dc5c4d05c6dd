import { createHash } from 'node:crypto';

/** SHA-256 of the raw file content in lowercase hex, as PBS reports config digests. */
export function digestOf(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
