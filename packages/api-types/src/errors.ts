/**
 * The closed set of error codes every layer speaks. Domain detail goes into `details`,
 * never into new codes; the bff maps each code to exactly one tRPC and HTTP status.
 */
import { z } from 'zod';

export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'BUSY',
  'STALE_REVISION',
  'CORRUPT_DATA',
  'BACKEND_UNAVAILABLE',
  'NOT_IMPLEMENTED',
  'INTERNAL',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export type ErrorDetails = Record<string, unknown>;

/** Shape the bff attaches to every error reply (`error.data.app` in tRPC). */
export const AppErrorDataSchema = z.object({
  code: ErrorCodeSchema,
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AppErrorData = z.infer<typeof AppErrorDataSchema>;

export interface AppErrorOptions {
  details?: ErrorDetails;
  cause?: unknown;
}

/**
 * An expected failure with a code the caller can act on. Messages are lowercase, without a
 * trailing period, and name the object ("datastore 'store1': chunk 0a1b…: crc mismatch").
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Wraps anything thrown into an AppError; unknown failures become INTERNAL. */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new AppError('INTERNAL', message, { cause: err });
}
