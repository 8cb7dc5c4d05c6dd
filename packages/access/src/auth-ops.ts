import { USER_ID_REGEX } from '@pbs/api-types/domain';
import { AppError } from '@pbs/api-types/errors';
import type { AccessContext } from './access-context.js';
import { createCsrfToken } from './csrf.js';
import { isActiveAuthId } from './privilege-eval.js';
import { checkTicket, createTicket } from './ticket.js';
import { verifyPassword } from './user-ops.js';

export interface Session {
  username: string;
  ticket: string;
  csrfToken: string;
}

export interface AuthenticatedUser {
  userid: string;
}

function issueSession(ctx: AccessContext, userid: string): Session {
  const now = ctx.nowSec();
  return {
    username: userid,
    ticket: createTicket(ctx.keys, userid, now),
    csrfToken: createCsrfToken(ctx.keys.csrfKey, userid, now),
  };
}

/**
 * Password login for the pbs realm. Every refusal reads the same ('authentication failed'), so
 * a caller learns nothing about which users exist; throttled keys are refused before the
 * password is even looked at.
 */
export async function login(
  ctx: AccessContext,
  username: string,
  password: string,
  remoteAddress: string,
): Promise<Session> {
  const keys = [`user:${username}`, `addr:${remoteAddress}`];
  const retryAfterSec = ctx.throttle.retryAfterSec(keys);
  if (retryAfterSec > 0) {
    throw new AppError(
      'UNAUTHENTICATED',
      `too many failed login attempts; try again in ${retryAfterSec} seconds`,
      {
        details: { retryAfterSec },
      },
    );
  }
  const validName = USER_ID_REGEX.test(username) && username.endsWith('@pbs');
  const passwordOk = await verifyPassword(ctx, validName ? username : 'invalid@pbs', password);
  const { data: users } = await ctx.users.readCached();
  if (!validName || !passwordOk || !isActiveAuthId(users, username, ctx.nowSec())) {
    ctx.throttle.recordFailure(keys);
    throw new AppError('UNAUTHENTICATED', 'authentication failed');
  }
  ctx.throttle.reset(keys[0] ?? '');
  return issueSession(ctx, username);
}

export async function verifyTicket(ctx: AccessContext, ticket: string): Promise<AuthenticatedUser> {
  const check = checkTicket(ctx.keys, ticket, ctx.nowSec(), ctx.ticketLifetimeSec);
  if (!check.ok) {
    throw new AppError('UNAUTHENTICATED', check.reason === 'expired' ? 'ticket expired' : 'invalid ticket', {
      details: { reason: check.reason },
    });
  }
  const { data: users } = await ctx.users.readCached();
  if (!USER_ID_REGEX.test(check.userid) || !isActiveAuthId(users, check.userid, ctx.nowSec())) {
    throw new AppError('UNAUTHENTICATED', 'user account is disabled, expired or removed', {
      details: { reason: 'inactive' },
    });
  }
  return { userid: check.userid };
}

/** A new ticket for the holder of a still valid one (PBS renews by logging in with the ticket). */
export async function renewTicket(ctx: AccessContext, ticket: string): Promise<Session> {
  const { userid } = await verifyTicket(ctx, ticket);
  return issueSession(ctx, userid);
}
