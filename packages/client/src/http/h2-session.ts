import http2 from 'node:http2';
import type { Readable } from 'node:stream';
import type tls from 'node:tls';
import { AppError } from '@pbs/api-types/errors';
import { httpError, unwrapData } from './http-error.js';

/*
 * The HTTP/2 side of the backup and reader protocols (pbs-formats §10.2) on an upgraded socket
 * (toolchain §8: http2.connect with createConnection returning that socket). Bare paths,
 * parameters in the query string, JSON bodies for PUT *_index, raw bytes for uploads;
 * `{"data": …}` replies and plain-text errors with a status. Windows as PBS's client sets them
 * (2^31-2 for streams and the connection, 4 MiB frames), so downloads are not flow-limited.
 */

const MiB = 1024 * 1024;
const WINDOW = 2 ** 31 - 2;

export type QueryValue = string | number | boolean;
export type Query = Record<string, QueryValue | undefined>;

export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const parts = Object.entries(query).filter((e): e is [string, QueryValue] => e[1] !== undefined);
  if (parts.length === 0) return '';
  return `?${new URLSearchParams(parts.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}

export class H2Session {
  private closedError: AppError | undefined;

  private constructor(
    private readonly session: http2.ClientHttp2Session,
    /** names the session in messages, e.g. "backup session" */
    readonly what: string,
  ) {
    session.on('error', (err: Error) => {
      this.closedError ??= new AppError('BACKEND_UNAVAILABLE', `${what}: ${err.message}`, { cause: err });
    });
    session.on('goaway', () => {
      this.closedError ??= new AppError('BACKEND_UNAVAILABLE', `${what}: server closed the session`);
    });
  }

  /** Starts HTTP/2 on a socket that just received its 101. */
  static attach(socket: tls.TLSSocket, what: string): Promise<H2Session> {
    return new Promise((resolve, reject) => {
      const session = http2.connect('https://localhost:8007', {
        createConnection: () => socket,
        settings: { initialWindowSize: WINDOW, maxFrameSize: 4 * MiB },
        maxSessionMemory: 1024,
      });
      const onError = (err: Error) =>
        reject(new AppError('BACKEND_UNAVAILABLE', `${what}: ${err.message}`, { cause: err }));
      session.once('error', onError);
      session.once('connect', () => {
        session.off('error', onError);
        session.setLocalWindowSize(WINDOW);
        resolve(new H2Session(session, what));
      });
      socket.resume();
    });
  }

  get closed(): boolean {
    return this.session.closed || this.session.destroyed;
  }

  /** Sends one request; resolves with the response stream once the headers arrived. */
  private open(
    method: string,
    path: string,
    query: Query | undefined,
    body: Buffer | undefined,
    contentType: string | undefined,
  ): Promise<{ status: number; stream: http2.ClientHttp2Stream }> {
    if (this.closed) {
      return Promise.reject(
        this.closedError ?? new AppError('BACKEND_UNAVAILABLE', `${this.what}: session closed`),
      );
    }
    const stream = this.session.request({
      ':method': method,
      ':path': `${path}${queryString(query)}`,
      ...(contentType !== undefined && { 'content-type': contentType }),
    });
    return new Promise((resolve, reject) => {
      const onError = (err: Error) =>
        reject(
          this.closedError ??
            new AppError('BACKEND_UNAVAILABLE', `${this.what}: ${method} ${path}: ${err.message}`, {
              cause: err,
            }),
        );
      const onClose = () => onError(new Error(`stream closed (code ${stream.rstCode ?? 0}) before a reply`));
      stream.once('error', onError);
      stream.once('close', onClose);
      stream.once('response', (headers) => {
        stream.off('error', onError);
        stream.off('close', onClose);
        resolve({ status: Number(headers[':status'] ?? 0), stream });
      });
      stream.end(body);
    });
  }

  private async collect(stream: http2.ClientHttp2Stream, what: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    try {
      for await (const chunk of stream) parts.push(chunk as Buffer);
    } catch (err) {
      throw this.closedError ?? new AppError('BACKEND_UNAVAILABLE', `${what}: ${(err as Error).message}`);
    }
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }

  /** A request with a JSON reply: the reply's `data`. */
  async call(
    method: string,
    path: string,
    query?: Query,
    body?: Buffer,
    contentType = 'application/x-www-form-urlencoded',
  ): Promise<unknown> {
    const what = `${method} ${path}`;
    const { status, stream } = await this.open(method, path, query, body, contentType);
    const reply = await this.collect(stream, what);
    if (status !== 200) throw httpError(status, reply.toString('utf8'), what);
    return unwrapData(reply, what);
  }

  get(path: string, query?: Query): Promise<unknown> {
    return this.call('GET', path, query);
  }

  post(path: string, query?: Query): Promise<unknown> {
    return this.call('POST', path, query);
  }

  putJson(path: string, json: unknown): Promise<unknown> {
    return this.call('PUT', path, undefined, Buffer.from(JSON.stringify(json)), 'application/json');
  }

  upload(path: string, query: Query, data: Buffer): Promise<unknown> {
    return this.call('POST', path, query, data, 'application/octet-stream');
  }

  /** A binary reply as a stream (NOT_FOUND etc. as AppError before any data). */
  async downloadStream(path: string, query?: Query): Promise<Readable> {
    const what = `GET ${path}`;
    const { status, stream } = await this.open('GET', path, query, undefined, undefined);
    if (status !== 200) throw httpError(status, (await this.collect(stream, what)).toString('utf8'), what);
    return stream;
  }

  /** A binary reply in memory (indexes, blobs, chunks). */
  async download(path: string, query?: Query): Promise<Buffer> {
    const what = `GET ${path}`;
    const { status, stream } = await this.open('GET', path, query, undefined, undefined);
    const data = await this.collect(stream, what);
    if (status !== 200) throw httpError(status, data.toString('utf8'), what);
    return data;
  }

  /** Closes after the open streams finished. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.session.close(() => resolve()));
  }

  /** Drops the connection at once (what an interrupted client does). */
  destroy(): void {
    this.session.destroy();
  }
}
