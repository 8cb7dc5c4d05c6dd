/**
 * The one server-state cache. UNAUTHORIZED anywhere ends the session (the auth gate sends the
 * user to the login page, keeping the deep link); mutation errors that no form handles become
 * a notification.
 */
import { notifications } from '@mantine/notifications';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isUnauthenticated, toAppError } from './errors';
import { notifySessionExpired } from './session';

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: {
      /** the caller shows errors itself (inline in a form), so no notification */
      handlesErrors?: boolean;
      /** an UNAUTHORIZED reply is an answer (wrong password), not an expired session */
      unauthenticatedIsExpected?: boolean;
    };
  }
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (err) => {
        if (isUnauthenticated(err)) notifySessionExpired();
      },
    }),
    mutationCache: new MutationCache({
      onError: (err, _variables, _context, mutation) => {
        const meta = mutation.options.meta;
        if (isUnauthenticated(err) && meta?.unauthenticatedIsExpected !== true) {
          notifySessionExpired();
          return;
        }
        if (meta?.handlesErrors === true) return;
        const app = toAppError(err);
        notifications.show({ color: 'red', title: `Failed (${app.code})`, message: app.message });
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        retry: (failureCount, err) => {
          const code = toAppError(err).code;
          return failureCount < 2 && (code === 'NETWORK' || code === 'BACKEND_UNAVAILABLE');
        },
      },
    },
  });
}
