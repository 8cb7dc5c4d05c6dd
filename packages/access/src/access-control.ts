import type { Privilege } from '@pbs/api-types/domain';
import { accessFiles, type AccessContext } from './access-context.js';
import * as aclOps from './acl-ops.js';
import type { AclItem, UpdateAclInput } from './acl-ops.js';
import * as authOps from './auth-ops.js';
import type { AuthenticatedUser, Session } from './auth-ops.js';
import { loadOrCreateAuthKeys } from './auth-keys.js';
import { bootstrapAdmin } from './bootstrap.js';
import * as csrf from './csrf.js';
import { LoginThrottle, type ThrottleOptions } from './login-throttle.js';
import * as permissionOps from './permission-ops.js';
import * as tokenOps from './token-ops.js';
import type { TokenFields } from './token-ops.js';
import * as userOps from './user-ops.js';
import type { CreateUserInput, UpdateUserPatch, UserInfo } from './user-ops.js';

export interface AccessControlOptions {
  /** the server's etc directory: user.cfg, acl.cfg, shadow.json, token.shadow, keys */
  etcDir: string;
  /** ms since the epoch; default Date.now */
  now?: () => number;
  /** default 7200, as PBS */
  ticketLifetimeSec?: number;
  /** failed-login throttling; defaults: 5 failures in 15 min, then 30 s doubling up to 15 min */
  throttle?: ThrottleOptions;
}

export interface RealmInfo {
  realm: 'pbs';
  type: 'pbs';
  comment: string;
  default: boolean;
}

/** Users, API tokens, tickets, CSRF tokens, ACLs and privilege checks over one etc directory. */
export class AccessControl {
  private constructor(private readonly ctx: AccessContext) {}

  static async open(opts: AccessControlOptions): Promise<AccessControl> {
    const now = opts.now ?? Date.now;
    const keys = await loadOrCreateAuthKeys(opts.etcDir);
    return new AccessControl({
      ...accessFiles(opts.etcDir),
      keys,
      nowSec: () => Math.floor(now() / 1000),
      ticketLifetimeSec: opts.ticketLifetimeSec ?? 7200,
      throttle: new LoginThrottle(now, opts.throttle),
      verifiedTokens: new WeakMap(),
    });
  }

  bootstrapAdmin(password?: string): Promise<{ created: boolean; password?: string }> {
    return bootstrapAdmin(this.ctx, password);
  }

  realms(): RealmInfo[] {
    return [{ realm: 'pbs', type: 'pbs', comment: 'Proxmox Backup authentication server', default: true }];
  }

  login(username: string, password: string, remoteAddress: string): Promise<Session> {
    return authOps.login(this.ctx, username, password, remoteAddress);
  }

  verifyTicket(ticket: string): Promise<AuthenticatedUser> {
    return authOps.verifyTicket(this.ctx, ticket);
  }

  renewTicket(ticket: string): Promise<Session> {
    return authOps.renewTicket(this.ctx, ticket);
  }

  createCsrfToken(userid: string): string {
    return csrf.createCsrfToken(this.ctx.keys.csrfKey, userid, this.ctx.nowSec());
  }

  verifyCsrfToken(userid: string, token: string): boolean {
    return csrf.verifyCsrfToken(
      this.ctx.keys.csrfKey,
      userid,
      token,
      this.ctx.nowSec(),
      this.ctx.ticketLifetimeSec,
    );
  }

  verifyApiToken(tokenid: string, secret: string): Promise<{ authId: string }> {
    return tokenOps.verifyApiToken(this.ctx, tokenid, secret);
  }

  listUsers(): Promise<{ digest: string; items: UserInfo[] }> {
    return userOps.listUsers(this.ctx);
  }

  getUser(userid: string): Promise<UserInfo> {
    return userOps.getUser(this.ctx, userid);
  }

  createUser(input: CreateUserInput, digest?: string): Promise<void> {
    return userOps.createUser(this.ctx, input, digest);
  }

  updateUser(userid: string, patch: UpdateUserPatch, digest?: string): Promise<void> {
    return userOps.updateUser(this.ctx, userid, patch, digest);
  }

  removeUser(userid: string, digest?: string): Promise<void> {
    return userOps.removeUser(this.ctx, userid, digest);
  }

  setPassword(userid: string, password: string): Promise<void> {
    return userOps.setPassword(this.ctx, userid, password);
  }

  verifyPassword(userid: string, password: string): Promise<boolean> {
    return userOps.verifyPassword(this.ctx, userid, password);
  }

  createToken(
    userid: string,
    tokenName: string,
    opts?: TokenFields,
    digest?: string,
  ): Promise<{ tokenid: string; value: string }> {
    return tokenOps.createToken(this.ctx, userid, tokenName, opts, digest);
  }

  updateToken(tokenid: string, patch: TokenFields, digest?: string): Promise<void> {
    return tokenOps.updateToken(this.ctx, tokenid, patch, digest);
  }

  removeToken(tokenid: string, digest?: string): Promise<void> {
    return tokenOps.removeToken(this.ctx, tokenid, digest);
  }

  regenerateToken(tokenid: string): Promise<{ tokenid: string; value: string }> {
    return tokenOps.regenerateToken(this.ctx, tokenid);
  }

  listAcl(opts?: { path?: string; exact?: boolean }): Promise<{ digest: string; items: AclItem[] }> {
    return aclOps.listAcl(this.ctx, opts);
  }

  updateAcl(input: UpdateAclInput, digest?: string): Promise<void> {
    return aclOps.updateAcl(this.ctx, input, digest);
  }

  privileges(authId: string, path: string): Promise<number> {
    return permissionOps.privileges(this.ctx, authId, path);
  }

  checkPrivileges(
    authId: string,
    path: string,
    required: Privilege[],
    opts?: { any?: boolean },
  ): Promise<void> {
    return permissionOps.checkPrivileges(this.ctx, authId, path, required, opts);
  }

  permissions(authId: string, path?: string): Promise<Record<string, Privilege[]>> {
    return permissionOps.permissions(this.ctx, authId, path);
  }

  /** Whether `authId` has any of `required` on `path` or below (e.g. to list a datastore at all). */
  anyPrivilegeBelow(authId: string, path: string, required: Privilege[]): Promise<boolean> {
    return permissionOps.anyPrivilegeBelow(this.ctx, authId, path, required);
  }
}
