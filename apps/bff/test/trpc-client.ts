/** A typed tRPC client for tests, authenticated with a ticket cookie and CSRF token. */
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import type { AppRouter } from '../src/routers/index.js';
import type { Session } from './fixtures.js';

export function trpcClient(baseUrl: string, session?: Session) {
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
        false: httpLink({ url, headers }),
      }),
    ],
  });
}
