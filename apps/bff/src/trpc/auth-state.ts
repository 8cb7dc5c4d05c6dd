/**
 * Who a request acts for, from the PBSAuthCookie ticket or a PBSAPIToken header, and whether
 * its CSRF token is valid. Shared by tRPC and REST so both authenticate the same way.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { AppError, isAppError, splitAuthId } from '@pbs/api-types';
import type { Services } from '../services/services.js';

export const AUTH_COOKIE = 'PBSAuthCookie';
export const CSRF_HEADER = 'csrfpreventiontoken';

export interface Caller {
  /** 'user@realm' or 'user@realm!token' */
  authId: string;
  /** the user behind a token, or the user itself */
  userid: string;
  via: 'ticket' | 'token';
  /** the raw ticket, for renewal */
  ticket?: string;
}

export interface AuthState {
  caller: Caller | null;
  /** why authentication failed, when credentials were sent but rejected */
  failure: AppError | null;
  /** writes through a ticket need this; tokens are exempt (they are not ambient credentials) */
  csrfValid: boolean;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function parseTokenHeader(value: string): { tokenid: string; secret: string } | null {
  const match = /^PBSAPIToken[=\s]([^:]+):(.+)$/.exec(value.trim());
  return match?.[1] !== undefined && match[2] !== undefined ? { tokenid: match[1], secret: match[2] } : null;
}

async function authenticate(services: Services, headers: IncomingHttpHeaders): Promise<Caller | null> {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const token = parseTokenHeader(authorization);
    if (token === null) throw new AppError('UNAUTHENTICATED', 'unsupported authorization header');
    const { authId } = await services.access.verifyApiToken(token.tokenid, token.secret);
    return { authId, userid: splitAuthId(authId).user, via: 'token' };
  }
  const ticket = readCookie(headers.cookie, AUTH_COOKIE);
  if (ticket === undefined || ticket === '') return null;
  const { userid } = await services.access.verifyTicket(ticket);
  return { authId: userid, userid, via: 'ticket', ticket };
}

export async function resolveAuthState(services: Services, headers: IncomingHttpHeaders): Promise<AuthState> {
  try {
    const caller = await authenticate(services, headers);
    let csrfValid = caller?.via === 'token';
    if (caller?.via === 'ticket') {
      const header = headers[CSRF_HEADER];
      const token = Array.isArray(header) ? header[0] : header;
      csrfValid = token !== undefined && services.access.verifyCsrfToken(caller.userid, token);
    }
    return { caller, failure: null, csrfValid };
  } catch (err) {
    if (isAppError(err) && err.code === 'UNAUTHENTICATED')
      return { caller: null, failure: err, csrfValid: false };
    throw err;
  }
}
