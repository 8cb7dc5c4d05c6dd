import { AppError } from '@pbs/api-types/errors';
import type { BackupRepository } from '../repo/repository.js';
import { authHeaders, type AuthInfo } from './auth.js';
import type { CredentialCache } from './credential-cache.js';
import { H2Session, queryString, type Query } from './h2-session.js';
import { httpError, unwrapData } from './http-error.js';
import { http1Request, http1Upgrade } from './http1.js';
import { connectVerified, normalizeCertFingerprint, type VerifiedSocket } from './tls-connect.js';

/*
 * A connection to a PBS server (pbs-client HttpClient): HTTPS with PBS's certificate rule, login
 * with a password (ticket) or an API token secret, the ticket cache, the REST API under
 * /api2/json, and the protocol upgrade for backup and reader sessions.
 *
 * Auth order as PBS: a token's secret is the password; a user with a password logs in; without a
 * password a cached ticket is used, else the interactive prompt, else an error.
 */

export interface HttpClientOptions {
  readonly repo: BackupRepository;
  /** PBS_PASSWORD: the user's password or the API token's secret */
  readonly password?: string;
  /** --fingerprint / PBS_FINGERPRINT: pins the server certificate (never cached) */
  readonly fingerprint?: string;
  /** ticket and fingerprint cache; none = no caching */
  readonly cache?: CredentialCache;
  /** interactive confirmation of an unknown certificate (a TTY); confirmed ones are cached */
  readonly confirmFingerprint?: (fingerprint: string, expected: string | undefined) => Promise<boolean>;
  /** interactive password prompt (a TTY) */
  readonly promptPassword?: (authId: string) => Promise<string>;
  /** extra trusted CA certificates (PEM) */
  readonly ca?: string;
}

export interface TicketReply {
  readonly username: string;
  readonly ticket: string;
  readonly CSRFPreventionToken: string;
}

export class HttpClient {
  private authPromise: Promise<AuthInfo> | undefined;
  private cachedFingerprint: Promise<string | undefined> | undefined;
  /** the fingerprint that the last connection was accepted by, if pinned */
  lastFingerprint: string | undefined;

  constructor(readonly options: HttpClientOptions) {
    if (options.fingerprint !== undefined) normalizeCertFingerprint(options.fingerprint);
  }

  get repo(): BackupRepository {
    return this.options.repo;
  }

  private get authority(): string {
    return `${this.repo.host}:${this.repo.port}`;
  }

  /** A verified TLS socket; a fingerprint confirmed interactively goes into the cache. */
  async socket(): Promise<VerifiedSocket['socket']> {
    const { repo, cache } = this.options;
    let expected = this.options.fingerprint;
    if (expected === undefined && cache) {
      this.cachedFingerprint ??= cache.loadFingerprint(repo.serverKey).catch(() => undefined);
      expected = await this.cachedFingerprint;
    }
    const verified = await connectVerified(
      { host: repo.host, port: repo.port },
      {
        ...(expected !== undefined && { fingerprint: expected }),
        ...(this.options.confirmFingerprint && { confirm: this.options.confirmFingerprint }),
        ...(this.options.ca !== undefined && { ca: this.options.ca }),
      },
    );
    this.lastFingerprint = verified.pinned;
    if (verified.confirmed && verified.pinned !== undefined && cache) {
      await cache.storeFingerprint(repo.serverKey, verified.pinned);
      this.cachedFingerprint = Promise.resolve(verified.pinned);
    }
    return verified.socket;
  }

  /** One REST request without auth headers beyond `headers`; the reply's data. */
  private async rawRequest(
    method: string,
    path: string,
    params: Query | undefined,
    headers: Record<string, string>,
  ): Promise<unknown> {
    const socket = await this.socket();
    const isQuery = method === 'GET' || method === 'DELETE';
    const body = !isQuery && params ? Buffer.from(JSON.stringify(definedParams(params))) : undefined;
    const reply = await http1Request(socket, {
      authority: this.authority,
      method,
      path: `/api2/json${path}${isQuery ? queryString(params) : ''}`,
      headers: { ...headers, ...(body && { 'content-type': 'application/json' }) },
      ...(body && { body }),
    });
    if (reply.status !== 200) throw httpError(reply.status, reply.body.toString('utf8'));
    return unwrapData(reply.body, `${method} ${path}`);
  }

  /** POST /access/ticket; does not touch the cache. */
  async requestTicket(username: string, password: string): Promise<TicketReply> {
    const data = (await this.rawRequest(
      'POST',
      '/access/ticket',
      { username, password },
      {},
    )) as TicketReply | null;
    if (!data || typeof data.ticket !== 'string' || typeof data.CSRFPreventionToken !== 'string') {
      throw new AppError('INTERNAL', 'login: the server sent no ticket');
    }
    return data;
  }

  private async doLogin(): Promise<AuthInfo> {
    const { repo, cache } = this.options;
    let password = this.options.password;
    if (repo.isToken) {
      if (password === undefined && this.options.promptPassword)
        password = await this.options.promptPassword(repo.authId);
      if (password === undefined) throw noPassword(repo.authId);
      return { kind: 'token', authId: repo.authId, secret: password };
    }
    if (password === undefined && cache) {
      const cached = await cache.loadTicket(repo.serverKey, repo.user).catch(() => undefined);
      if (cached) return { kind: 'ticket', user: repo.user, ticket: cached.ticket, csrf: cached.csrf };
    }
    if (password === undefined && this.options.promptPassword)
      password = await this.options.promptPassword(repo.authId);
    if (password === undefined) throw noPassword(repo.authId);
    const reply = await this.requestTicket(repo.user, password);
    if (cache)
      await cache.storeTicket(repo.serverKey, repo.user, {
        ticket: reply.ticket,
        csrf: reply.CSRFPreventionToken,
      });
    return { kind: 'ticket', user: repo.user, ticket: reply.ticket, csrf: reply.CSRFPreventionToken };
  }

  /** Logs in once per client (memoised). */
  login(): Promise<AuthInfo> {
    this.authPromise ??= this.doLogin().catch((err: unknown) => {
      this.authPromise = undefined;
      throw err;
    });
    return this.authPromise;
  }

  async request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, params?: Query): Promise<unknown> {
    const auth = await this.login();
    return this.rawRequest(method, path, params, authHeaders(auth));
  }

  get(path: string, params?: Query): Promise<unknown> {
    return this.request('GET', path, params);
  }

  post(path: string, params?: Query): Promise<unknown> {
    return this.request('POST', path, params);
  }

  put(path: string, params?: Query): Promise<unknown> {
    return this.request('PUT', path, params);
  }

  delete(path: string, params?: Query): Promise<unknown> {
    return this.request('DELETE', path, params);
  }

  /** GET `path` with Upgrade: `protocol`, then HTTP/2 on the socket. */
  async upgrade(path: string, query: Query, protocol: string, what: string): Promise<H2Session> {
    const auth = await this.login();
    const socket = await this.socket();
    const reply = await http1Upgrade(
      socket,
      {
        authority: this.authority,
        method: 'GET',
        path: `${path}${queryString(query)}`,
        headers: authHeaders(auth),
      },
      protocol,
    );
    if (reply.status !== 101) throw httpError(reply.status, reply.text, `unable to start ${what}`);
    return H2Session.attach(socket, what);
  }
}

function noPassword(authId: string): AppError {
  return new AppError(
    'UNAUTHENTICATED',
    `no password for '${authId}': set PBS_PASSWORD (the password or API token secret), log in with 'login' on a terminal, or run on a terminal to be asked`,
  );
}

function definedParams(params: Query): Record<string, string | number | boolean> {
  return Object.fromEntries(
    Object.entries(params).filter((e): e is [string, string | number | boolean] => e[1] !== undefined),
  );
}
