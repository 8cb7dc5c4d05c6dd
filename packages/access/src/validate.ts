import { PasswordSchema, TOKEN_ID_REGEX, USER_ID_REGEX, TokenNameSchema } from '@pbs/api-types/domain';
import { AppError } from '@pbs/api-types/errors';

/*
 * Argument checks the engine makes itself, whatever the caller validated: anything that would
 * otherwise corrupt a config file or widen an id.
 */

function invalid(field: string, message: string): AppError {
  return new AppError('INVALID_ARGUMENT', message, { details: { field } });
}

export function assertUserId(userid: string): void {
  if (userid.length < 3 || userid.length > 64 || !USER_ID_REGEX.test(userid)) {
    throw invalid('userid', `invalid user id '${userid}'`);
  }
}

export function assertTokenId(tokenid: string): void {
  if (tokenid.length < 3 || tokenid.length > 64 || !TOKEN_ID_REGEX.test(tokenid)) {
    throw invalid('tokenid', `invalid token id '${tokenid}'`);
  }
}

export function assertTokenName(name: string): void {
  const result = TokenNameSchema.safeParse(name);
  if (!result.success) throw invalid('tokenName', `invalid token name '${name}'`);
}

export function assertPbsRealm(userid: string): void {
  if (!userid.endsWith('@pbs')) throw invalid('userid', `user '${userid}' is not in the 'pbs' realm`);
}

export function assertPassword(password: string): void {
  const result = PasswordSchema.safeParse(password);
  if (!result.success) throw invalid('password', result.error.issues[0]?.message ?? 'invalid password');
}

/** Free text stored in user.cfg: one line, bounded. */
export function assertText(field: string, value: string | undefined, max: number): void {
  if (value === undefined) return;
  if (value.length > max) throw invalid(field, `${field} must be at most ${max} characters`);
  if (/\p{Cc}/u.test(value))
    throw invalid(field, `${field} must be a single line without control characters`);
}

export function assertExpire(expire: number | undefined): void {
  if (expire === undefined) return;
  if (!Number.isSafeInteger(expire) || expire < 0) {
    throw invalid('expire', 'expire must be a non-negative integer (epoch seconds, 0 = never)');
  }
}
