/**
 * The one map from AppError codes to transport codes. `satisfies` keeps it complete: adding a
 * code to api-types without mapping it here fails the build.
 */
import type { ErrorCode } from '@pbs/api-types';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';

interface TransportCodes {
  trpc: TRPC_ERROR_CODE_KEY;
  http: number;
}

export const ERROR_TRANSPORT = {
  INVALID_ARGUMENT: { trpc: 'BAD_REQUEST', http: 400 },
  UNAUTHENTICATED: { trpc: 'UNAUTHORIZED', http: 401 },
  PERMISSION_DENIED: { trpc: 'FORBIDDEN', http: 403 },
  NOT_FOUND: { trpc: 'NOT_FOUND', http: 404 },
  ALREADY_EXISTS: { trpc: 'CONFLICT', http: 409 },
  BUSY: { trpc: 'CONFLICT', http: 409 },
  STALE_REVISION: { trpc: 'PRECONDITION_FAILED', http: 412 },
  CORRUPT_DATA: { trpc: 'INTERNAL_SERVER_ERROR', http: 500 },
  BACKEND_UNAVAILABLE: { trpc: 'SERVICE_UNAVAILABLE', http: 503 },
  NOT_IMPLEMENTED: { trpc: 'NOT_IMPLEMENTED', http: 501 },
  INTERNAL: { trpc: 'INTERNAL_SERVER_ERROR', http: 500 },
} as const satisfies Record<ErrorCode, TransportCodes>;

/** INTERNAL messages may leak implementation detail; clients get a generic text. */
export function publicMessage(code: ErrorCode, message: string): string {
  return code === 'INTERNAL' ? 'internal server error' : message;
}
