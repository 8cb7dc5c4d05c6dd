import { expect } from 'vitest';
import { AppError, type ErrorCode } from '@pbs/api-types/errors';

/** Asserts that `fn` throws (or rejects with) an AppError with this code; returns it. */
export async function expectAppError(fn: () => unknown, code: ErrorCode): Promise<AppError> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe(code);
  return caught as AppError;
}
