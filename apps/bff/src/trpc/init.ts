/**
 * tRPC instance: context, meta (access rules) and the error formatter that turns every AppError
 * into `data.app = { code, details }` with the transport code from errors.ts.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { AppError, toAppError, type AppErrorData } from '@pbs/api-types';
import { ERROR_TRANSPORT, publicMessage } from '../errors.js';
import type { ProcedureMeta } from './access-rule.js';
import type { Context } from './context.js';

/** AppErrors thrown anywhere become TRPCErrors carrying the original as cause. */
export function toTrpcError(err: unknown): TRPCError {
  if (err instanceof TRPCError) return err;
  const app = toAppError(err);
  return new TRPCError({
    code: ERROR_TRANSPORT[app.code].trpc,
    message: publicMessage(app.code, app.message),
    cause: app,
  });
}

function appDataOf(error: TRPCError): AppErrorData | null {
  if (error.cause instanceof AppError) {
    return { code: error.cause.code, details: error.cause.details };
  }
  if (error.cause instanceof ZodError) return { code: 'INVALID_ARGUMENT' };
  return null;
}

export const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    errorFormatter({ shape, error }) {
      const zodError = error.cause instanceof ZodError ? error.cause.flatten() : null;
      return {
        ...shape,
        message: zodError ? formatZodMessage(error.cause as ZodError) : shape.message,
        data: { ...shape.data, stack: undefined, app: appDataOf(error), zodError },
      };
    },
  });

function formatZodMessage(err: ZodError): string {
  return err.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/** Converts AppErrors thrown by handlers; runs around every procedure. */
export const errorMapping = t.middleware(async ({ next }) => {
  const result = await next();
  // tRPC wraps anything a handler throws as INTERNAL_SERVER_ERROR; restore the AppError's code.
  if (!result.ok && result.error.cause instanceof AppError) {
    return { ...result, error: toTrpcError(result.error.cause) };
  }
  return result;
});
