import http from 'node:http';
import type tls from 'node:tls';
import { AppError } from '@pbs/api-types/errors';

/*
 * One HTTP/1.1 exchange on an already verified TLS socket (no agent, no keep-alive), and the
 * Upgrade handshake of the backup/reader protocols (pbs-formats §10.1): the 101 head is read by
 * hand so the socket can be handed to HTTP/2 with any bytes that followed it.
 */

export interface Http1Request {
  readonly authority: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

export interface Http1Reply {
  readonly status: number;
  readonly body: Buffer;
}

function aborted(req: Http1Request, err: unknown): AppError {
  return new AppError('BACKEND_UNAVAILABLE', `${req.method} ${req.path}: ${(err as Error).message}`, {
    cause: err,
  });
}

export function http1Request(socket: tls.TLSSocket, req: Http1Request): Promise<Http1Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...req.headers, host: req.authority, connection: 'close' };
    if (req.body) headers['content-length'] = String(req.body.length);
    const request = http.request({
      createConnection: () => socket,
      method: req.method,
      path: req.path,
      headers,
    });
    request.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => {
        socket.destroy();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) });
      });
      res.on('error', (err) => reject(aborted(req, err)));
    });
    request.on('error', (err) => {
      socket.destroy();
      reject(aborted(req, err));
    });
    request.end(req.body);
  });
}

export interface UpgradeReply {
  readonly status: number;
  /** the response body (errors) when status is not 101 */
  readonly text: string;
}

const MAX_HEAD = 64 * 1024;

/** Sends the upgrade request; on 101 the socket is left paused with the rest unshifted. */
export function http1Upgrade(
  socket: tls.TLSSocket,
  req: Http1Request,
  protocol: string,
): Promise<UpgradeReply> {
  const head = [
    `${req.method} ${req.path} HTTP/1.1`,
    `host: ${req.authority}`,
    'connection: upgrade',
    `upgrade: ${protocol}`,
    ...Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`),
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    let errorStatus = 0;
    let errorHead = '';
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('error', fail);
      socket.off('end', onEnd);
    };
    const fail = (err: Error) => {
      cleanup();
      socket.destroy();
      reject(aborted(req, err));
    };
    const finishError = (body: Buffer) => {
      cleanup();
      socket.destroy();
      const chunked = /\r\ntransfer-encoding:\s*chunked/i.test(errorHead);
      resolve({ status: errorStatus, text: (chunked ? dechunk(body) : body).toString('utf8') });
    };
    const onEnd = () => {
      if (errorStatus !== 0) finishError(buffered);
      else fail(new Error('connection closed during protocol upgrade'));
    };
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (errorStatus !== 0) return checkErrorBody();
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buffered.length > MAX_HEAD) fail(new Error('upgrade reply head too large'));
        return;
      }
      const text = buffered.subarray(0, end).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      buffered = buffered.subarray(end + 4);
      if (status === 101) {
        cleanup();
        socket.pause();
        if (buffered.length > 0) socket.unshift(buffered);
        resolve({ status, text: '' });
        return;
      }
      errorStatus = status || 502;
      errorHead = text;
      checkErrorBody();
    };
    const checkErrorBody = () => {
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(errorHead)?.[1] ?? NaN);
      if (Number.isFinite(length) && buffered.length >= length) finishError(buffered.subarray(0, length));
      else if (buffered.length > MAX_HEAD) finishError(buffered.subarray(0, MAX_HEAD));
    };
    socket.on('data', onData);
    socket.once('error', fail);
    socket.once('end', onEnd);
    socket.write(`${head}\r\n\r\n`);
  });
}

/** The payload of a chunked transfer-encoded body (error replies only; best effort). */
function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let pos = 0;
  while (pos < body.length) {
    const eol = body.indexOf('\r\n', pos);
    if (eol < 0) break;
    const size = parseInt(body.subarray(pos, eol).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    pos = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
