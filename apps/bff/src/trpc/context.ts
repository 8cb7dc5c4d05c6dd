import type { Request, Response } from 'express';
import type { Services } from '../services/services.js';
import { AUTH_COOKIE, resolveAuthState, type AuthState } from './auth-state.js';

export interface Context {
  services: Services;
  auth: AuthState;
  remoteAddress: string;
  /** sets (or clears, with null) the ticket cookie on the response; a no-op for in-process callers */
  setAuthCookie(ticket: string | null): void;
}

export function cookieOptions(services: Services) {
  return {
    httpOnly: true,
    // Behind a TLS-terminating proxy the browser still talks HTTPS, but we cannot know; only
    // mark the cookie Secure when we serve TLS ourselves.
    secure: !services.config.http,
    sameSite: 'strict' as const,
    path: '/',
  };
}

export function cookieSetter(services: Services, res: Response) {
  return (ticket: string | null) => {
    if (ticket === null) res.clearCookie(AUTH_COOKIE, cookieOptions(services));
    else res.cookie(AUTH_COOKIE, ticket, { ...cookieOptions(services), maxAge: 2 * 3600 * 1000 });
  };
}

export async function createHttpContext(services: Services, req: Request, res: Response): Promise<Context> {
  return {
    services,
    auth: await resolveAuthState(services, req.headers),
    remoteAddress: req.socket.remoteAddress ?? 'unknown',
    setAuthCookie: cookieSetter(services, res),
  };
}
