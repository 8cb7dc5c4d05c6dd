/**
 * Listening and shutdown: HTTPS with the data dir's certificate (or plain HTTP behind a proxy),
 * graceful stop on SIGTERM/SIGINT (stop accepting, abort running tasks, flush logs).
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { handleUpgrade } from './protocol/upgrade.js';
import type { Services } from './services/services.js';

export interface RunningServer {
  server: http.Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function listen(services: Services, app: express.Express): Promise<RunningServer> {
  const { config, certificate } = services;
  const server = config.http
    ? http.createServer(app)
    : https.createServer({ key: certificate.key, cert: certificate.cert }, app);
  server.on('upgrade', (req, socket, head) => void handleUpgrade(services, req, socket, head));
  // Task follow streams and backup sessions are long-lived; only idle sockets time out.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.listen, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.listen === '::' || config.listen === '0.0.0.0' ? 'localhost' : config.listen;
  const url = `${config.http ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= shutdown(services, server));
  return { server, port, url, close };
}

async function shutdown(services: Services, server: http.Server): Promise<void> {
  services.logger.info('shutting down: no new connections, aborting running tasks');
  services.scheduler.stop();
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await services.tasks.shutdown({ timeoutMs: 10_000 });
  await services.s3Clients
    .close()
    .catch((err: unknown) => services.logger.warn({ err }, 'S3 counters not saved'));
  // Connections still open (SSE followers, stuck clients) must not keep us alive.
  server.closeAllConnections();
  await stopped;
  services.logger.flush();
}
