import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { splitAuthId } from '@pbs/api-types/domain';
import { AppError } from '@pbs/api-types/errors';
import type { AccessContext } from './access-context.js';
import { hashSecret, verifySecret } from './password-hash.js';
import { isActiveAuthId } from './privilege-eval.js';
import { definedFields, type UserConfig } from './user-config.js';
import { userNotFound } from './user-ops.js';
import { assertExpire, assertText, assertTokenId, assertTokenName, assertUserId } from './validate.js';

/*
 * API tokens: a `token: <userid>!<name>` section in user.cfg and a hashed secret in
 * token.shadow. The secret is shown once, at creation or regeneration. Verified secrets are
 * remembered per token.shadow version (as a sha256, compared in constant time) so an API
 * request does not pay for scrypt every time.
 */

export interface TokenFields {
  comment?: string;
  enable?: boolean;
  expire?: number;
}

function tokenNotFound(tokenid: string): AppError {
  return new AppError('NOT_FOUND', `API token '${tokenid}' does not exist`, { details: { tokenid } });
}

function requireToken(config: UserConfig, tokenid: string) {
  const token = config.token(tokenid);
  if (!token) throw tokenNotFound(tokenid);
  return token;
}

function pickTokenFields(source: TokenFields): TokenFields {
  const { comment, enable, expire } = source;
  assertText('comment', comment, 128);
  assertExpire(expire);
  return { comment, enable, expire };
}

/** Generates a secret (a UUID like PBS's), stores its hash, returns it in clear once. */
async function newSecret(ctx: AccessContext, tokenid: string): Promise<string> {
  const secret = randomUUID();
  const hash = await hashSecret(secret);
  await ctx.tokenShadow.update(undefined, (map) => void map.set(tokenid, hash));
  return secret;
}

export async function createToken(
  ctx: AccessContext,
  userid: string,
  tokenName: string,
  opts: TokenFields = {},
  digest?: string,
): Promise<{ tokenid: string; value: string }> {
  assertUserId(userid);
  assertTokenName(tokenName);
  const tokenid = `${userid}!${tokenName}`;
  assertTokenId(tokenid);
  const fields = pickTokenFields(opts);
  const { result: value } = await ctx.users.update(digest, async (config) => {
    if (!config.user(userid)) throw userNotFound(userid);
    if (config.data.get(tokenid)) {
      throw new AppError('ALREADY_EXISTS', `API token '${tokenid}' already exists`, { details: { tokenid } });
    }
    const secret = await newSecret(ctx, tokenid);
    config.putToken({ tokenid, ...fields, enable: fields.enable ?? true, expire: fields.expire ?? 0 });
    return secret;
  });
  return { tokenid, value };
}

export async function updateToken(
  ctx: AccessContext,
  tokenid: string,
  patch: TokenFields,
  digest?: string,
): Promise<void> {
  const fields = pickTokenFields(patch);
  await ctx.users.update(digest, (config) => {
    const token = requireToken(config, tokenid);
    config.putToken({ ...token, ...definedFields(fields) });
  });
}

export async function removeToken(ctx: AccessContext, tokenid: string, digest?: string): Promise<void> {
  await ctx.users.update(digest, (config) => {
    requireToken(config, tokenid);
    config.remove(tokenid);
  });
  await ctx.acl.update(undefined, (acl) => acl.deleteAuthId(tokenid));
  await ctx.tokenShadow.update(undefined, (map) => void map.delete(tokenid));
}

export async function regenerateToken(
  ctx: AccessContext,
  tokenid: string,
): Promise<{ tokenid: string; value: string }> {
  const { result: value } = await ctx.users.update(undefined, (config) => {
    requireToken(config, tokenid);
    return newSecret(ctx, tokenid);
  });
  return { tokenid, value };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

async function secretMatches(ctx: AccessContext, tokenid: string, secret: string): Promise<boolean> {
  const snapshot = await ctx.tokenShadow.readCached();
  let verified = ctx.verifiedTokens.get(snapshot);
  if (!verified) {
    verified = new Map();
    ctx.verifiedTokens.set(snapshot, verified);
  }
  const known = verified.get(tokenid);
  const given = sha256(secret);
  if (known) return timingSafeEqual(known, given);
  const hash = snapshot.data.get(tokenid);
  if (hash === undefined || !(await verifySecret(secret, hash))) return false;
  verified.set(tokenid, given);
  return true;
}

/** For 'PBSAPIToken=<tokenid>:<secret>'; inactive token or owner, or a wrong secret → UNAUTHENTICATED. */
export async function verifyApiToken(
  ctx: AccessContext,
  tokenid: string,
  secret: string,
): Promise<{ authId: string }> {
  const failed = new AppError('UNAUTHENTICATED', 'authentication failed');
  if (splitAuthId(tokenid).token === undefined) throw failed;
  const { data } = await ctx.users.readCached();
  if (!isActiveAuthId(data, tokenid, ctx.nowSec())) throw failed;
  if (!(await secretMatches(ctx, tokenid, secret))) throw failed;
  return { authId: tokenid };
}
