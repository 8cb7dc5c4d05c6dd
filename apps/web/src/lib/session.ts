/**
 * The browser half of the session: the CSRF token (the ticket itself is an HttpOnly cookie the
 * SPA never sees) and a signal for "the server no longer accepts our session".
 */

let csrfToken: string | null = null;
const expiryListeners = new Set<() => void>();

export function getCsrfToken(): string | null {
  return csrfToken;
}

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request comes back UNAUTHORIZED; the auth gate sends the user to /login. */
export function notifySessionExpired(): void {
  csrfToken = null;
  for (const listener of expiryListeners) listener();
}

export function onSessionExpired(listener: () => void): () => void {
  expiryListeners.add(listener);
  return () => {
    expiryListeners.delete(listener);
  };
}

/** A post-login target must stay on this origin: only absolute paths, never '//host'. */
export function safeNextPath(next: string | null): string {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return '/dashboard';
  }
  return next.startsWith('/login') ? '/dashboard' : next;
}

export function loginPath(location: { pathname: string; search: string; hash?: string }): string {
  const next = `${location.pathname}${location.search}${location.hash ?? ''}`;
  return next === '/' || next.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}
