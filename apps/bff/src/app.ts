/**
 * createApp(services) → the Express app without listening: tRPC at /trpc, PBS REST at
 * /api2/json, and the built SPA with a history fallback so every deep link loads.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type Request, type Response, type NextFunction } from 'express';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { restRouter } from './rest/router.js';
import { appRouter } from './routers/index.js';
import type { Services } from './services/services.js';
import { createHttpContext } from './trpc/context.js';

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  );
  next();
}

function serveSpa(app: express.Express, webRoot: string): void {
  const index = path.join(webRoot, 'index.html');
  app.use(express.static(webRoot, { index: false, maxAge: '1h' }));
  app.get('/{*splat}', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

export function createApp(services: Services): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(securityHeaders);
  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ req, res }) => createHttpContext(services, req, res),
      onError: ({ error, path: procedure }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          services.logger.error({ err: error.cause ?? error, procedure }, 'procedure failed');
        }
      },
    }),
  );
  app.use('/api2/json', restRouter(services));
  const webRoot = services.config.webRoot;
  if (webRoot !== null && fs.existsSync(path.join(webRoot, 'index.html'))) {
    serveSpa(app, webRoot);
  } else {
    app.get('/', (_req, res) => {
      res
        .type('text/plain')
        .send('the web UI is not built; run `npm run build` (npm start does it for you)\n');
    });
  }
  return app;
}
