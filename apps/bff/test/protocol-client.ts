/**
 * A bare protocol client for server tests: the HTTP/1.1 upgrade over TLS, then HTTP/2 requests
 * with PBS's conventions. The real client lives in packages/client; this one lets tests send
 * exactly the malformed requests a real client never would.
 */
import http2 from 'node:http2';
import tls from 'node:tls';

export interface H2Reply {
  status: number;
  body: Buffer;
  json<T = unknown>(): T;
  text(): string;
}

export interface UpgradeResult {
  status: number;
  text: string;
  session?: http2.ClientHttp2Session;
}

function readHead(socket: tls.TLSSocket): Promise<{ head: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.pause();
      resolve({ head: buffered.subarray(0, end).toString('latin1'), rest: buffered.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

export async function upgrade(opts: {
  port: number;
  ca: string;
  path: '/api2/json/backup' | '/api2/json/reader';
  protocol: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}): Promise<UpgradeResult> {
  const socket = tls.connect({
    host: '127.0.0.1',
    port: opts.port,
    ca: opts.ca,
    servername: 'localhost',
    ALPNProtocols: ['http/1.1'],
  });
  await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
  const query = new URLSearchParams(opts.query).toString();
  const headers = Object.entries(opts.headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.write(
    `GET ${opts.path}?${query} HTTP/1.1\r\nhost: localhost\r\nconnection: upgrade\r\nupgrade: ${opts.protocol}\r\n${headers}\r\n`,
  );
  const { head, rest } = await readHead(socket);
  const status = Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0);
  if (status !== 101) {
    const text = rest.toString('utf8');
    socket.destroy();
    return { status, text };
  }
  if (rest.length > 0) socket.unshift(rest);
  socket.resume();
  const session = http2.connect('https://localhost', { createConnection: () => socket });
  return { status, text: '', session };
}

export function h2(
  session: http2.ClientHttp2Session,
  method: string,
  path: string,
  query: Record<string, string | number> = {},
  body?: Buffer | object,
): Promise<H2Reply> {
  const search = new URLSearchParams(
    Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();
  const isJson = body !== undefined && !Buffer.isBuffer(body);
  const stream = session.request({
    ':method': method,
    ':path': search === '' ? path : `${path}?${search}`,
    'content-type': isJson ? 'application/json' : 'application/octet-stream',
  });
  return new Promise((resolve, reject) => {
    let status = 0;
    const chunks: Buffer[] = [];
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const data = Buffer.concat(chunks);
      resolve({
        status,
        body: data,
        json: <T>() => JSON.parse(data.toString('utf8')) as T,
        text: () => data.toString('utf8'),
      });
    });
    stream.on('error', reject);
    stream.end(isJson ? Buffer.from(JSON.stringify(body)) : body);
  });
}
