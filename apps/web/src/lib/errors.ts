/**
 * Reading server errors: every tRPC error carries `data.app = { code, details }` (the closed
 * AppError codes) and, for rejected input, `data.zodError` with flattened field errors.
 */
import { TRPCClientError } from '@trpc/client';
import { z } from 'zod';
import { AppErrorDataSchema, type ErrorCode, type ErrorDetails } from '@pbs/api-types';

export interface ClientAppError {
  code: ErrorCode | 'NETWORK';
  message: string;
  details: ErrorDetails | undefined;
}

const ErrorDataSchema = z.object({
  code: z.string().optional(),
  app: AppErrorDataSchema.nullish(),
  zodError: z.object({ fieldErrors: z.record(z.string(), z.array(z.string()).optional()) }).nullish(),
});

/** tRPC codes for errors raised before an AppError existed (auth middleware, unknown paths). */
const TRPC_CODE_TO_APP: Partial<Record<string, ErrorCode>> = {
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'PERMISSION_DENIED',
  NOT_FOUND: 'NOT_FOUND',
  BAD_REQUEST: 'INVALID_ARGUMENT',
  CONFLICT: 'BUSY',
  PRECONDITION_FAILED: 'STALE_REVISION',
};

function errorData(err: unknown) {
  if (!(err instanceof TRPCClientError)) return null;
  const parsed = ErrorDataSchema.safeParse(err.data);
  return parsed.success ? parsed.data : null;
}

export function toAppError(err: unknown): ClientAppError {
  const message = err instanceof Error ? err.message : String(err);
  const data = errorData(err);
  if (data?.app) return { code: data.app.code, message, details: data.app.details };
  const mapped = data?.code === undefined ? undefined : TRPC_CODE_TO_APP[data.code];
  if (mapped !== undefined) return { code: mapped, message, details: undefined };
  if (err instanceof TRPCClientError && data === null) {
    const detail = message === '' || message === 'Unknown error' ? '' : ` (${message})`;
    return { code: 'NETWORK', message: `the server cannot be reached${detail}`, details: undefined };
  }
  return { code: 'INTERNAL', message, details: undefined };
}

export function isUnauthenticated(err: unknown): boolean {
  return errorData(err)?.code === 'UNAUTHORIZED';
}

/**
 * Per-field messages for a form: zod's field errors, plus an AppError naming its field in
 * `details.field` (e.g. a wrong current password).
 */
export function fieldErrors(err: unknown): Record<string, string> {
  const data = errorData(err);
  const out: Record<string, string> = {};
  for (const [field, messages] of Object.entries(data?.zodError?.fieldErrors ?? {})) {
    const first = messages?.[0];
    if (first !== undefined) out[field] = first;
  }
  const field = data?.app?.details?.field;
  if (typeof field === 'string' && err instanceof Error) out[field] = err.message;
  return out;
}

const DEFAULT_TEXT: Record<ClientAppError['code'], string> = {
  INVALID_ARGUMENT: 'The input was rejected.',
  UNAUTHENTICATED: 'Your session has ended; log in again.',
  PERMISSION_DENIED: 'You do not have permission to do this.',
  NOT_FOUND: 'It does not exist (any more).',
  ALREADY_EXISTS: 'It already exists.',
  BUSY: 'It is busy; try again later.',
  STALE_REVISION: 'Someone else changed this meanwhile; reload and try again.',
  CORRUPT_DATA: 'Corrupt data was found.',
  BACKEND_UNAVAILABLE: 'A backend is unavailable; try again later.',
  NOT_IMPLEMENTED: 'This is not implemented yet.',
  INTERNAL: 'Internal server error.',
  NETWORK: 'The server cannot be reached.',
};

export function describeError(code: ClientAppError['code']): string {
  return DEFAULT_TEXT[code];
}
