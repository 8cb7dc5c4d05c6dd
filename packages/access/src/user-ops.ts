import { AppError } from '@pbs/api-types/errors';
import type { AccessContext } from './access-context.js';
import { assertNotLastAdmin } from './last-admin.js';
import { burnVerification, hashSecret, verifySecret } from './password-hash.js';
import { definedFields, type TokenRecord, type UserConfig, type UserRecord } from './user-config.js';
import { assertExpire, assertPassword, assertPbsRealm, assertText, assertUserId } from './validate.js';

export interface TokenInfo {
  tokenid: string;
  comment?: string;
  enable: boolean;
  expire: number;
}

export interface UserInfo {
  userid: string;
  comment?: string;
  enable: boolean;
  expire: number;
  firstname?: string;
  lastname?: string;
  email?: string;
  tokens: TokenInfo[];
}

export interface UserFields {
  comment?: string;
  enable?: boolean;
  expire?: number;
  firstname?: string;
  lastname?: string;
  email?: string;
}

export interface CreateUserInput extends UserFields {
  userid: string;
  password: string;
}

const DELETABLE_FIELDS = ['comment', 'firstname', 'lastname', 'email'] as const;
export type DeletableUserField = (typeof DELETABLE_FIELDS)[number];

export interface UpdateUserPatch extends UserFields {
  delete?: DeletableUserField[];
}

export function toTokenInfo(token: TokenRecord): TokenInfo {
  return { ...token, enable: token.enable ?? true, expire: token.expire ?? 0 };
}

function toUserInfo(config: UserConfig, user: UserRecord): UserInfo {
  return {
    ...user,
    enable: user.enable ?? true,
    expire: user.expire ?? 0,
    tokens: config.tokens(user.userid).map(toTokenInfo),
  };
}

export function userNotFound(userid: string): AppError {
  return new AppError('NOT_FOUND', `user '${userid}' does not exist`, { details: { userid } });
}

/** shadow.json is keyed by the name without '@pbs', as PBS's pbs-realm authenticator keeps it. */
export function shadowKey(userid: string): string {
  return userid.slice(0, userid.lastIndexOf('@'));
}

/** Only the known fields: callers may pass richer objects (ids, digests) that must not reach user.cfg. */
function pickUserFields(source: UserFields): UserFields {
  const { comment, enable, expire, firstname, lastname, email } = source;
  return { comment, enable, expire, firstname, lastname, email };
}

export function assertUserFields(fields: UserFields): void {
  assertText('comment', fields.comment, 128);
  for (const key of ['firstname', 'lastname', 'email'] as const) assertText(key, fields[key], 64);
  assertExpire(fields.expire);
}

export async function listUsers(ctx: AccessContext): Promise<{ digest: string; items: UserInfo[] }> {
  const { data, digest } = await ctx.users.readCached();
  return { digest, items: data.users().map((user) => toUserInfo(data, user)) };
}

export async function getUser(ctx: AccessContext, userid: string): Promise<UserInfo> {
  const { data } = await ctx.users.readCached();
  const user = data.user(userid);
  if (!user) throw userNotFound(userid);
  return toUserInfo(data, user);
}

/** Stores (or with `undefined`, removes) the pbs-realm password of `userid`. */
export async function writePassword(
  ctx: AccessContext,
  userid: string,
  password: string | undefined,
): Promise<void> {
  const hash = password === undefined ? undefined : await hashSecret(password);
  await ctx.shadow.update(undefined, (map) => {
    if (hash === undefined) map.delete(shadowKey(userid));
    else map.set(shadowKey(userid), hash);
  });
}

export async function createUser(ctx: AccessContext, input: CreateUserInput, digest?: string): Promise<void> {
  assertUserId(input.userid);
  assertPbsRealm(input.userid);
  assertPassword(input.password);
  assertUserFields(input);
  const fields = pickUserFields(input);
  await ctx.users.update(digest, async (config) => {
    if (config.data.get(input.userid)) {
      throw new AppError('ALREADY_EXISTS', `user '${input.userid}' already exists`, {
        details: { userid: input.userid },
      });
    }
    // the password goes first: user.cfg is written last, so a failure leaves no user without one
    await writePassword(ctx, input.userid, input.password);
    config.putUser({
      userid: input.userid,
      ...fields,
      enable: fields.enable ?? true,
      expire: fields.expire ?? 0,
    });
  });
}

export async function updateUser(
  ctx: AccessContext,
  userid: string,
  patch: UpdateUserPatch,
  digest?: string,
): Promise<void> {
  assertUserFields(patch);
  const fields = pickUserFields(patch);
  const toDelete = patch.delete ?? [];
  const unknown = toDelete.find((key) => !DELETABLE_FIELDS.includes(key));
  if (unknown !== undefined) {
    throw new AppError('INVALID_ARGUMENT', `cannot delete property '${String(unknown)}'`, {
      details: { field: 'delete' },
    });
  }
  await ctx.users.update(digest, (config) => {
    const user = config.user(userid);
    if (!user) throw userNotFound(userid);
    for (const key of toDelete) delete user[key];
    config.putUser({ ...user, ...definedFields(fields) });
  });
}

export async function removeUser(ctx: AccessContext, userid: string, digest?: string): Promise<void> {
  const { result: tokenIds } = await ctx.users.update(digest, async (config) => {
    if (!config.user(userid)) throw userNotFound(userid);
    const { data: acl } = await ctx.acl.read();
    assertNotLastAdmin(config, acl, userid, ctx.nowSec());
    const tokens = config.tokens(userid).map((t) => t.tokenid);
    config.remove(userid);
    for (const tokenid of tokens) config.remove(tokenid);
    return tokens;
  });
  await ctx.acl.update(undefined, (acl) => {
    for (const authId of [userid, ...tokenIds]) acl.deleteAuthId(authId);
  });
  await writePassword(ctx, userid, undefined);
  await ctx.tokenShadow.update(undefined, (map) => {
    for (const tokenid of tokenIds) map.delete(tokenid);
  });
}

export async function setPassword(ctx: AccessContext, userid: string, password: string): Promise<void> {
  assertPbsRealm(userid);
  assertPassword(password);
  const { data } = await ctx.users.read();
  if (!data.user(userid)) throw userNotFound(userid);
  await writePassword(ctx, userid, password);
}

/** Checks the stored pbs-realm password; unknown users cost the same time and yield false. */
export async function verifyPassword(ctx: AccessContext, userid: string, password: string): Promise<boolean> {
  const { data } = await ctx.users.readCached();
  const hash = (await ctx.shadow.readCached()).data.get(shadowKey(userid));
  if (!userid.endsWith('@pbs') || !data.user(userid) || hash === undefined) {
    await burnVerification(password);
    return false;
  }
  return verifySecret(password, hash);
}
