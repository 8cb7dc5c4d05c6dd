/**
 * HTTP/2 over an upgraded HTTP/1.1 socket, PBS-style: bare paths, query parameters, `{"data": …}`
 * JSON replies, plain-text errors with a status code. Node traps (toolchain.md §8): attach only
 * after the 101 response has been written, and use performServerHandshake so TLS sockets whose
 * ALPN says http/1.1 are accepted.
 */
import http2 from 'node:http2';
import type { Duplex } from 'node:stream';
import { AppError, toAppError } from '@pbs/api-types';
import { ERROR_TRANSPORT, publicMessage } from '../errors.js';

const MiB = 1024 * 1024;
/** PBS server settings: 32 MiB stream and connection windows, 4 MiB frames */
const WINDOW = 32 * MiB;
export const H2_SETTINGS: http2.Settings = { initialWindowSize: WINDOW, maxFrameSize: 4 * MiB };

export interface H2Request {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Buffer;
}

/** A reply that is not JSON: raw bytes (downloads). */
export class BinaryReply {
  constructor(readonly data: Buffer) {}
}

export type H2Handler = (req: H2Request) => Promise<unknown>;

export interface H2Routes {
  /** `${METHOD} ${path}` → handler */
  [route: string]: H2Handler;
}

function readBody(stream: http2.ServerHttp2Stream, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new AppError('INVALID_ARGUMENT', `request body larger than ${limit} bytes`));
        stream.close(http2.constants.NGHTTP2_CANCEL);
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks, size)));
    stream.on('error', reject);
  });
}

function reply(stream: http2.ServerHttp2Stream, status: number, type: string, body: Buffer | string): void {
  if (stream.destroyed || stream.closed) return;
  stream.respond({ ':status': status, 'content-type': type });
  stream.end(body);
}

export interface ServeOptions {
  routes: H2Routes;
  /** largest request body accepted (chunk and blob uploads are ≤ 16 MiB + 44) */
  maxBody: number;
  onError?: (err: unknown, req: H2Request) => void;
}

async function dispatch(
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
  opts: ServeOptions,
): Promise<void> {
  const method = String(headers[':method'] ?? 'GET');
  const url = new URL(String(headers[':path'] ?? '/'), 'http://localhost');
  const req: H2Request = { method, path: url.pathname, query: url.searchParams, body: Buffer.alloc(0) };
  try {
    req.body = await readBody(stream, opts.maxBody);
    const handler = opts.routes[`${method} ${url.pathname}`];
    if (handler === undefined) throw new AppError('NOT_FOUND', `Path '${url.pathname}' not found.`);
    const result = await handler(req);
    if (result instanceof BinaryReply) reply(stream, 200, 'application/octet-stream', result.data);
    else reply(stream, 200, 'application/json', JSON.stringify({ data: result ?? null }));
  } catch (err) {
    const app = toAppError(err);
    opts.onError?.(err, req);
    reply(
      stream,
      ERROR_TRANSPORT[app.code].http,
      'text/plain;charset=UTF-8',
      publicMessage(app.code, app.message),
    );
  }
}

/** Runs an HTTP/2 server session on the socket; resolves when the session has ended. */
export function serveH2(
  socket: Duplex,
  opts: ServeOptions,
): { session: http2.ServerHttp2Session; closed: Promise<void> } {
  const session = http2.performServerHandshake(socket, { settings: H2_SETTINGS });
  session.on('connect', () => session.setLocalWindowSize(WINDOW));
  session.on('stream', (stream, headers) => void dispatch(stream, headers, opts));
  session.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => {
    session.once('close', () => resolve());
    socket.once('close', () => resolve());
  });
  return { session, closed };
}
