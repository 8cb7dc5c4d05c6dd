import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { S3TestServer } from './s3-server.js';

/*
 * A fault-injecting HTTPS proxy in front of the test S3 server: it terminates TLS with the
 * server's own certificate (so a client pinned to it connects unchanged), forwards requests
 * as they are (SigV4 signs the Host header, which stays the proxy's) and, for as many requests
 * as queued, answers with an HTTP error, delays the answer or drops the connection instead.
 */

export type Fault =
  /** forwarded untouched: spaces faults apart in the queue */
  | { readonly kind: 'pass' }
  | { readonly kind: 'status'; readonly status: number; readonly code?: string }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'drop' };

export interface FaultProxy {
  readonly port: number;
  /** the server's endpoint config, pointed at the proxy */
  config(): ReturnType<S3TestServer['config']>;
  /** the next `count` requests (of `method`, if given) meet `fault` */
  inject(fault: Fault, count?: number, method?: string): void;
  /** faults injected so far */
  readonly injected: number;
  /** requests seen so far */
  readonly requests: number;
  clearFaults(): void;
  close(): Promise<void>;
}

const ERROR_CODES: Readonly<Record<number, string>> = {
  500: 'InternalError',
  503: 'SlowDown',
  504: 'GatewayTimeout',
  429: 'TooManyRequests',
};

function sendError(res: http.ServerResponse, status: number, code: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>injected fault</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function forward(server: S3TestServer, req: http.IncomingMessage, res: http.ServerResponse): void {
  const headers = { ...req.headers };
  delete headers.expect;
  const upstream = https.request(
    {
      host: '127.0.0.1',
      port: server.port,
      method: req.method,
      path: req.url,
      headers,
      rejectUnauthorized: false,
    },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', () => res.socket?.destroy());
  req.pipe(upstream);
}

/** Starts the proxy on 127.0.0.1 and a free port. */
export async function startFaultProxy(server: S3TestServer): Promise<FaultProxy> {
  const queue: { fault: Fault; method?: string }[] = [];
  let injected = 0;
  let requests = 0;
  const proxy = https.createServer({ key: server.keyPem, cert: server.certPem }, (req, res) => {
    requests++;
    const i = queue.findIndex((q) => q.method === undefined || q.method === req.method);
    const entry = i >= 0 ? queue.splice(i, 1)[0] : undefined;
    if (!entry || entry.fault.kind === 'pass') return forward(server, req, res);
    injected++;
    const { fault } = entry;
    if (fault.kind === 'drop') {
      req.socket.destroy();
    } else if (fault.kind === 'delay') {
      setTimeout(() => forward(server, req, res), fault.ms);
    } else {
      req.resume();
      req.on('end', () =>
        sendError(res, fault.status, fault.code ?? ERROR_CODES[fault.status] ?? 'InternalError'),
      );
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as AddressInfo).port;
  return {
    port,
    config: () => ({ ...server.config(), port }),
    inject(fault, count = 1, method) {
      for (let n = 0; n < count; n++) queue.push({ fault, method });
    },
    get injected() {
      return injected;
    },
    get requests() {
      return requests;
    },
    clearFaults() {
      queue.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}
