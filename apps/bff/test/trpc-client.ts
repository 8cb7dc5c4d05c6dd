/** A typed tRPC client for tests, authenticated with a ticket cookie and CSRF token. */
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import https from 'node:https';
import { EventSource } from 'eventsource';
import type { AppRouter } from '../src/routers/index.js';
import type { Session } from './fixtures.js';

/** A fetch over node:https that trusts exactly `ca` (the server's self-signed certificate). */
function fetchTrusting(ca: string) {
  return (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    new Promise((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : input.toString());
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      const body = typeof init?.body === 'string' ? init.body : undefined;
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const req = https.request(url, { method: init?.method ?? 'GET', headers, ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const replyHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (typeof v === 'string') replyHeaders.set(k, v);
          }
          resolve(
            new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers: replyHeaders }),
          );
        });
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
}

/** `ca`: for an HTTPS server, the certificate to trust (queries and mutations only). */
export function trpcClient(baseUrl: string, session?: Session, ca?: string) {
  const headers = session?.write ?? {};
  const url = `${baseUrl}/trpc`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, ...headers } }),
          }),
        }),
        false: httpLink({ url, headers, fetch: ca === undefined ? undefined : fetchTrusting(ca) }),
      }),
    ],
  });
}
