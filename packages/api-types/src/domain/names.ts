/**
 * Name grammars shared by the engines and the API, copied from pbs-api-types / proxmox-schema.
 * Regex sources are exported so engines can compose them (namespaces, paths) exactly as PBS does.
 */
import { z } from 'zod';

export const SAFE_ID_RE = '(?:[A-Za-z0-9_][A-Za-z0-9._\\-]*)';
export const SAFE_ID_REGEX = new RegExp(`^${SAFE_ID_RE}$`);

/** User names exclude whitespace, ':', '/' and control characters. */
export const USER_NAME_RE = '(?:[^\\s:/\\p{Cc}]+)';
export const USER_ID_REGEX = new RegExp(`^${USER_NAME_RE}@${SAFE_ID_RE}$`, 'u');
export const TOKEN_ID_REGEX = new RegExp(`^${USER_NAME_RE}@${SAFE_ID_RE}!${SAFE_ID_RE}$`, 'u');
export const AUTH_ID_REGEX = new RegExp(`^${USER_NAME_RE}@${SAFE_ID_RE}(?:!${SAFE_ID_RE})?$`, 'u');

/** A line of free text as PBS accepts it in comments: no control characters. */
export const SINGLE_LINE_COMMENT_REGEX = /^[^\p{Cc}]*$/u;

export function safeIdSchema(what: string, min = 3, max = 32) {
  return z
    .string()
    .min(min, `${what} must be at least ${min} characters`)
    .max(max, `${what} must be at most ${max} characters`)
    .regex(
      SAFE_ID_REGEX,
      `${what} may contain only letters, digits, '_', '.' and '-' and must not start with '.' or '-'`,
    );
}

export const UserIdSchema = z
  .string()
  .min(3)
  .max(64)
  .regex(USER_ID_REGEX, "user id must look like 'name@realm'");
export type UserId = z.infer<typeof UserIdSchema>;

export const TokenNameSchema = safeIdSchema('token name', 1, 64);

export const TokenIdSchema = z
  .string()
  .min(3)
  .max(64)
  .regex(TOKEN_ID_REGEX, "token id must look like 'name@realm!token'");
export type TokenId = z.infer<typeof TokenIdSchema>;

/** A user or an API token: whoever a request acts for. */
export const AuthIdSchema = z
  .string()
  .min(3)
  .max(64)
  .regex(AUTH_ID_REGEX, "auth id must look like 'name@realm' or 'name@realm!token'");
export type AuthId = z.infer<typeof AuthIdSchema>;

export const RealmSchema = safeIdSchema('realm', 2, 32);

export const CommentSchema = z
  .string()
  .max(128, 'comment must be at most 128 characters')
  .regex(SINGLE_LINE_COMMENT_REGEX, 'comment must be a single line without control characters');

export const PasswordSchema = z
  .string()
  .min(8, 'password must be at least 8 characters')
  .max(64, 'password must be at most 64 characters');

/** Splits 'user@realm!token' into its user and token parts. */
export function splitAuthId(authId: string): { user: string; token: string | undefined } {
  const bang = authId.indexOf('!');
  return bang < 0
    ? { user: authId, token: undefined }
    : { user: authId.slice(0, bang), token: authId.slice(bang + 1) };
}

export function isTokenId(authId: string): boolean {
  return authId.includes('!');
}
