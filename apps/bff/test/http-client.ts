/**
 * Minimal HTTP(S) client for integration tests: trusts exactly the server's own certificate,
 * keeps cookies explicit, returns status, headers and body text.
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json<T = unknown>(): T;
}

export interface RequestOptions {
  body?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** PEM certificate to trust (HTTPS) */
  ca?: string;
}

export function request(
  baseUrl: string,
  method: string,
  path: string,
  opts: RequestOptions = {},
): Promise<HttpReply> {
  const url = new URL(path, baseUrl);
  const headers: Record<string, string> = { ...opts.headers };
  let payload: string | undefined;
  if (opts.form !== undefined) {
    payload = new URLSearchParams(opts.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (opts.body !== undefined) {
    payload = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  // DELETE and GET bodies are not chunked by Node's client: always state the length.
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method, headers, ca: opts.ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          json: <T>() => JSON.parse(text) as T,
        });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** The Set-Cookie value of the auth cookie, ready for a Cookie header. */
export function authCookie(reply: HttpReply): string | undefined {
  const cookies = reply.headers['set-cookie'] ?? [];
  const found = cookies.find((c) => c.startsWith('PBSAuthCookie='));
  return found?.split(';')[0];
}
