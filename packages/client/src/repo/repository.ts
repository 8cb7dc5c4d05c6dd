import { AUTH_ID_REGEX, SAFE_ID_RE, USER_NAME_RE } from '@pbs/api-types/domain';
import { AppError } from '@pbs/api-types/errors';

/*
 * The repository a client talks to (pbs-client backup_repo.rs): `[[auth-id@]host[:port]:]store`
 * with the grammar of PBS's BACKUP_REPO_URL_REGEX (auth-id = user@realm or user@realm!token, host
 * = DNS name, IPv4 or bracketed IPv6), or the separate parts (--server/--port/--datastore/
 * --auth-id and PBS_SERVER/PBS_PORT/PBS_DATASTORE/PBS_AUTH_ID). Defaults: root@pam, localhost, 8007.
 */

export const DEFAULT_PORT = 8007;
export const DEFAULT_AUTH_ID = 'root@pam';

const USER_ID = `(?:${USER_NAME_RE}@${SAFE_ID_RE})`;
const TOKEN_ID = `(?:${USER_ID}!${SAFE_ID_RE})`;
const DNS_LABEL = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9\\-]*[a-zA-Z0-9])?)';
const DNS_NAME = `(?:(?:${DNS_LABEL}\\.)*${DNS_LABEL})`;
const OCTET = '(?:25[0-5]|(?:2[0-4]|1[0-9]|[1-9])?[0-9])';
const IPV4 = `(?:(?:${OCTET}\\.){3}${OCTET})`;
const H16 = '(?:[0-9a-fA-F]{1,4})';
const LS32 = `(?:(?:${IPV4}|${H16}:${H16}))`;
const IPV6 = `(?:${[
  `(?:(?:(?:${H16}:){6})${LS32})`,
  `(?:(?:::(?:${H16}:){5})${LS32})`,
  `(?:(?:(?:${H16})?::(?:${H16}:){4})${LS32})`,
  `(?:(?:(?:(?:${H16}:){0,1}${H16})?::(?:${H16}:){3})${LS32})`,
  `(?:(?:(?:(?:${H16}:){0,2}${H16})?::(?:${H16}:){2})${LS32})`,
  `(?:(?:(?:(?:${H16}:){0,3}${H16})?::(?:${H16}:){1})${LS32})`,
  `(?:(?:(?:(?:${H16}:){0,4}${H16})?::)${LS32})`,
  `(?:(?:(?:(?:${H16}:){0,5}${H16})?::)${H16})`,
  `(?:(?:(?:(?:${H16}:){0,6}${H16})?::))`,
].join('|')})`;
const IP_BRACKET = `(?:${IPV4}|\\[${IPV6}\\])`;
const BACKUP_REPO_URL = new RegExp(
  `^(?:(?:(${USER_ID}|${TOKEN_ID})@)?(${DNS_NAME}|${IP_BRACKET}):)?(?:([0-9]{1,5}):)?(${SAFE_ID_RE})$`,
  'u',
);
const IPV6_ONLY = new RegExp(`^${IPV6}$`);
const HOST = new RegExp(`^(?:${DNS_NAME}|${IPV4}|${IPV6}|\\[${IPV6}\\])$`);

export interface RepositoryParts {
  readonly authId?: string;
  readonly host?: string;
  readonly port?: number;
  readonly store: string;
}

function checkPort(port: number, what: string): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new AppError('INVALID_ARGUMENT', `${what}: port ${port} out of range (1..65535)`);
  }
  return port;
}

export class BackupRepository {
  readonly authIdGiven: string | undefined;
  readonly hostGiven: string | undefined;
  readonly portGiven: number | undefined;
  readonly store: string;

  /** From parts; a bare IPv6 host gets brackets (BackupRepository::new). */
  constructor(parts: RepositoryParts) {
    if (parts.authId !== undefined && !AUTH_ID_REGEX.test(parts.authId)) {
      throw new AppError('INVALID_ARGUMENT', `invalid auth id '${parts.authId}'`);
    }
    if (parts.host !== undefined && !HOST.test(parts.host)) {
      throw new AppError('INVALID_ARGUMENT', `invalid server address '${parts.host}'`);
    }
    if (!new RegExp(`^${SAFE_ID_RE}$`).test(parts.store)) {
      throw new AppError('INVALID_ARGUMENT', `invalid datastore name '${parts.store}'`);
    }
    this.authIdGiven = parts.authId;
    this.hostGiven = parts.host !== undefined && IPV6_ONLY.test(parts.host) ? `[${parts.host}]` : parts.host;
    this.portGiven = parts.port === undefined ? undefined : checkPort(parts.port, 'repository');
    this.store = parts.store;
  }

  /** INVALID_ARGUMENT "unable to parse repository url '…'" as PBS. */
  static parse(url: string): BackupRepository {
    const m = BACKUP_REPO_URL.exec(url);
    if (!m) throw new AppError('INVALID_ARGUMENT', `unable to parse repository url '${url}'`);
    const [, authId, host, port, store] = m;
    return new BackupRepository({
      ...(authId !== undefined && { authId }),
      ...(host !== undefined && { host }),
      ...(port !== undefined && { port: checkPort(Number(port), `repository '${url}'`) }),
      store: store as string,
    });
  }

  get authId(): string {
    return this.authIdGiven ?? DEFAULT_AUTH_ID;
  }

  /** user@realm: the auth id without the token name */
  get user(): string {
    return this.authId.split('!')[0] as string;
  }

  get isToken(): boolean {
    return this.authId.includes('!');
  }

  get host(): string {
    return this.hostGiven ?? 'localhost';
  }

  get port(): number {
    return this.portGiven ?? DEFAULT_PORT;
  }

  /** the key of the ticket and fingerprint caches: the host as given (PBS keys by host only) */
  get serverKey(): string {
    return this.host;
  }

  /** PBS's Display form: the short form when nothing but host or port was given. */
  toString(): string {
    if (this.authIdGiven !== undefined) return `${this.authIdGiven}@${this.host}:${this.port}:${this.store}`;
    if (this.portGiven !== undefined) return `${this.host}:${this.portGiven}:${this.store}`;
    if (this.hostGiven !== undefined) return `${this.hostGiven}:${this.store}`;
    return this.store;
  }
}

/** Repository arguments from the command line or from the environment. */
export interface RepositoryArgs {
  readonly repository?: string;
  readonly server?: string;
  readonly port?: number;
  readonly datastore?: string;
  readonly authId?: string;
}

function hasAtoms(a: RepositoryArgs): boolean {
  return (
    a.server !== undefined || a.port !== undefined || a.datastore !== undefined || a.authId !== undefined
  );
}

function fromAtoms(a: RepositoryArgs): BackupRepository {
  if (a.datastore === undefined) {
    throw new AppError('INVALID_ARGUMENT', '--datastore is required when not using --repository');
  }
  return new BackupRepository({
    ...(a.authId !== undefined && { authId: a.authId }),
    ...(a.server !== undefined && { host: a.server }),
    ...(a.port !== undefined && { port: a.port }),
    store: a.datastore,
  });
}

/**
 * resolve_repository: --repository, else the CLI parts (completed from the environment's parts),
 * else PBS_REPOSITORY, else the environment's parts.
 */
export function resolveRepository(
  cli: RepositoryArgs,
  env: { readonly repository?: string } & RepositoryArgs = {},
): BackupRepository {
  if (cli.repository !== undefined && hasAtoms(cli)) {
    throw new AppError(
      'INVALID_ARGUMENT',
      '--repository and --server/--port/--datastore/--auth-id are mutually exclusive',
    );
  }
  if (cli.repository !== undefined) return BackupRepository.parse(cli.repository);
  const envAtoms: RepositoryArgs = {
    ...(env.server !== undefined && { server: env.server }),
    ...(env.port !== undefined && { port: env.port }),
    ...(env.datastore !== undefined && { datastore: env.datastore }),
    ...(env.authId !== undefined && { authId: env.authId }),
  };
  if (hasAtoms(cli)) return fromAtoms({ ...envAtoms, ...definedOnly(cli) });
  if (env.repository !== undefined) return BackupRepository.parse(env.repository);
  if (hasAtoms(envAtoms)) return fromAtoms(envAtoms);
  throw new AppError('INVALID_ARGUMENT', 'unable to get (default) repository');
}

function definedOnly(a: RepositoryArgs): RepositoryArgs {
  return Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined));
}
