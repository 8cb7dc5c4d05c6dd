/**
 * Mounts the PBS-compatible REST routes under /api2/json: `{"data": …}` replies (plus PBS's
 * top-level attributes such as `total`), and on failure PBS's error shape: the HTTP status with
 * the plain message as body.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPCError } from '@trpc/server';
import { AppError, toAppError } from '@pbs/api-types';
import { ERROR_TRANSPORT, publicMessage } from '../errors.js';
import { appRouter } from '../routers/index.js';
import type { Services } from '../services/services.js';
import { createHttpContext } from '../trpc/context.js';
import type { RestArgs } from './params.js';
import type { RestRoute } from './route.js';
import { restRoutes } from './routes/index.js';

const JSON_TYPE = 'application/json;charset=UTF-8';

function errorReply(err: unknown): { status: number; message: string; app: AppError } {
  const cause = err instanceof TRPCError && err.cause instanceof AppError ? err.cause : err;
  if (cause instanceof TRPCError) {
    const code =
      cause.code === 'UNAUTHORIZED'
        ? 'UNAUTHENTICATED'
        : cause.code === 'FORBIDDEN'
          ? 'PERMISSION_DENIED'
          : 'INVALID_ARGUMENT';
    return {
      status: getHTTPStatusCodeFromError(cause),
      message: cause.message,
      app: new AppError(code, cause.message),
    };
  }
  const app = toAppError(cause);
  return { status: ERROR_TRANSPORT[app.code].http, message: publicMessage(app.code, app.message), app };
}

function handle(services: Services, route: RestRoute) {
  return async (req: Request, res: Response) => {
    try {
      const ctx = await createHttpContext(services, req, res);
      if (route.access.kind !== 'public' && ctx.auth.caller === null) {
        throw new AppError('UNAUTHENTICATED', ctx.auth.failure?.message ?? 'authentication required');
      }
      const body: unknown = req.body;
      const fields = Buffer.isBuffer(body) || body === undefined ? {} : (body as RestArgs);
      const args: RestArgs = { ...(req.query as RestArgs), ...fields };
      const call = appRouter.createCaller(ctx);
      const reply = await route.handler({
        ctx,
        call,
        params: req.params as Record<string, string>,
        args,
        req,
        res,
      });
      if (res.headersSent) return;
      res.type(JSON_TYPE).send(JSON.stringify({ data: reply.data ?? null, ...reply.attributes }));
    } catch (err) {
      const { status, message, app } = errorReply(err);
      if (app.code === 'INTERNAL') services.logger.error({ err, route: route.path }, 'rest handler failed');
      res.status(status).type(JSON_TYPE).send(message);
    }
  };
}

export function restRouter(services: Services): express.Router {
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: '17mb' });
  const parsed = [express.json({ limit: '1mb' }), express.urlencoded({ extended: false, limit: '1mb' })];
  for (const route of restRoutes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    router[method](route.path, ...(route.rawBody === true ? [raw] : parsed), handle(services, route));
  }
  router.use((req: Request, res: Response) => {
    res.status(404).type(JSON_TYPE).send(`no such api path '${req.path}'`);
  });
  // Body parser failures (bad JSON) arrive here.
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res
      .status(400)
      .type(JSON_TYPE)
      .send(`bad request: ${err instanceof Error ? err.message : String(err)}`);
  });
  return router;
}
