import { AppError, type ErrorCode } from '@pbs/api-types/errors';

/*
 * Native filesystem errors become AppErrors here, at the boundary, so the engine only ever sees
 * the closed set of codes. Conditions of the medium that may pass (full, read-only, I/O errors,
 * descriptor exhaustion) are BACKEND_UNAVAILABLE, the one code a retry decorator retries.
 * Permission problems are the server's misconfiguration, not the caller's: INTERNAL.
 */

const CODE_BY_ERRNO: Readonly<Record<string, ErrorCode>> = {
  ENOENT: 'NOT_FOUND',
  ENOTDIR: 'NOT_FOUND',
  EEXIST: 'ALREADY_EXISTS',
  ENOTEMPTY: 'INVALID_ARGUMENT',
  EISDIR: 'INVALID_ARGUMENT',
  EIO: 'BACKEND_UNAVAILABLE',
  ENOSPC: 'BACKEND_UNAVAILABLE',
  EDQUOT: 'BACKEND_UNAVAILABLE',
  EROFS: 'BACKEND_UNAVAILABLE',
  ESTALE: 'BACKEND_UNAVAILABLE',
  EAGAIN: 'BACKEND_UNAVAILABLE',
  EBUSY: 'BACKEND_UNAVAILABLE',
  EMFILE: 'BACKEND_UNAVAILABLE',
  ENFILE: 'BACKEND_UNAVAILABLE',
  ETIMEDOUT: 'BACKEND_UNAVAILABLE',
  EACCES: 'INTERNAL',
  EPERM: 'INTERNAL',
};

const REASON_BY_ERRNO: Readonly<Record<string, string>> = {
  ENOENT: 'not found',
  ENOTDIR: 'not found (a parent is not a directory)',
  EEXIST: 'already exists',
  ENOTEMPTY: 'directory not empty',
  EISDIR: 'is a directory',
  ENOSPC: 'no space left on device',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

export function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Translates a native error; `what` names the object ("storage 'x': chunk 0a1b…"). */
export function toStorageError(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  const errno = errnoOf(err);
  const code = (errno !== undefined ? CODE_BY_ERRNO[errno] : undefined) ?? 'INTERNAL';
  const known = errno !== undefined ? REASON_BY_ERRNO[errno] : undefined;
  const reason = known ?? (err instanceof Error ? err.message : String(err));
  return new AppError(code, `${what}: ${reason}`, { cause: err, details: errno ? { errno } : undefined });
}

/** Runs a native operation and translates whatever it throws. */
export async function translating<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw toStorageError(err, what);
  }
}
