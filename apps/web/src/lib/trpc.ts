/**
 * The tRPC client: queries and mutations batched over HTTP, subscriptions over SSE, both at
 * /trpc. Mutations carry the CSRF token from the session store. The AppRouter type crosses from
 * the server here and nowhere else.
 */
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@pbs/bff/router';
import { getCsrfToken } from './session';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function createClient() {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url: '/trpc' }),
        false: httpBatchLink({
          url: '/trpc',
          headers: () => {
            const token = getCsrfToken();
            return token === null ? {} : { CSRFPreventionToken: token };
          },
        }),
      }),
    ],
  });
}
