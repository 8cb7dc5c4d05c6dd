/**
 * Error helpers: every decoder failure is CORRUPT_DATA naming the archive (when the caller gave
 * a name) and what was wrong; misuse of an encoder is INVALID_ARGUMENT.
 */
import { AppError } from '@pbs/api-types/errors';

export function archiveLabel(name: string | undefined): string {
  return name === undefined ? 'pxar archive' : `pxar archive '${name}'`;
}

export function corrupt(
  name: string | undefined,
  detail: string,
  details?: Record<string, unknown>,
): AppError {
  return new AppError('CORRUPT_DATA', `${archiveLabel(name)}: ${detail}`, details ? { details } : {});
}

export function invalid(detail: string, details?: Record<string, unknown>): AppError {
  return new AppError('INVALID_ARGUMENT', `pxar encoder: ${detail}`, details ? { details } : {});
}

/** Raw bytes shown as text for messages (lossy, but names stay recognisable). */
export function showBytes(bytes: Uint8Array): string {
  return JSON.stringify(Buffer.from(bytes).toString('utf8'));
}
