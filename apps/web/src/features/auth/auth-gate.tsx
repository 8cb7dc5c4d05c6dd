import { Center, Container, Loader } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ErrorAlert } from '../../components/error-alert';
import { isUnauthenticated } from '../../lib/errors';
import { loginPath, onSessionExpired, setCsrfToken } from '../../lib/session';
import { useTRPC } from '../../lib/trpc';
import { useWhoamiOptions } from '../../lib/use-session';

const RENEW_INTERVAL_MS = 15 * 60 * 1000;

/**
 * Renders its children only for a logged-in caller. A reloaded page recovers its CSRF token from
 * whoami; an expired session goes to /login?next=<this page>; the ticket is renewed every 15 min.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const location = useLocation();
  const navigate = useNavigate();
  const whoamiOptions = useWhoamiOptions();
  const whoami = useQuery(whoamiOptions);
  const csrfToken = whoami.data?.csrfToken;
  const renew = useMutation(
    trpc.auth.renew.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: (session) => setCsrfToken(session.csrfToken),
    }),
  );
  const renewSession = renew.mutate;
  const loggedIn = whoami.data !== undefined;

  useEffect(() => {
    if (csrfToken !== undefined) setCsrfToken(csrfToken);
  }, [csrfToken]);

  useEffect(
    () =>
      onSessionExpired(() => {
        queryClient.removeQueries({ queryKey: whoamiOptions.queryKey });
        void navigate(loginPath(location), { replace: true });
      }),
    [queryClient, whoamiOptions.queryKey, navigate, location],
  );

  useEffect(() => {
    if (!loggedIn) return;
    const timer = window.setInterval(() => renewSession(), RENEW_INTERVAL_MS);
    return () => window.clearInterval(timer);
  }, [loggedIn, renewSession]);

  if (whoami.isPending) {
    return (
      <Center mih="100vh">
        <Loader aria-label="Loading session" />
      </Center>
    );
  }
  if (whoami.isError) {
    if (isUnauthenticated(whoami.error)) return <Navigate to={loginPath(location)} replace />;
    return (
      <Container size="sm" py="xl">
        <ErrorAlert
          error={whoami.error}
          title="Cannot reach the server"
          onRetry={() => void whoami.refetch()}
        />
      </Container>
    );
  }
  return children;
}
