import tls from 'node:tls';
import { AppError } from '@pbs/api-types/errors';
import { BackupRepository, HttpClient, normalizeCertFingerprint } from '@pbs/client';

/*
 * A connection to a remote PBS-compatible server as remote.cfg describes it (pbs §13.1): host,
 * port (8007), auth id (user → ticket login; token → PBSAPIToken header), the secret, and the
 * certificate fingerprint that pins a self-signed certificate. Nothing is sent before the
 * certificate passed (trusted CA chain, or exactly the configured fingerprint).
 */

export const DEFAULT_REMOTE_PORT = 8007;

export interface RemoteEndpoint {
  /** remote.cfg id, for messages */
  readonly name: string;
  readonly host: string;
  readonly port?: number | undefined;
  readonly authId: string;
  readonly password: string;
  readonly fingerprint?: string | undefined;
  /** extra trusted CA certificates (PEM), for tests */
  readonly ca?: string | undefined;
}

/** Makes a message name the remote, and a certificate refusal say what to do in our terms. */
export function remoteError(remote: RemoteEndpoint, err: unknown): AppError {
  const e = err instanceof AppError ? err : new AppError('INTERNAL', String((err as Error)?.message ?? err));
  const what = `remote '${remote.name}' (${remote.host}:${remote.port ?? DEFAULT_REMOTE_PORT})`;
  if (e.code === 'UNAUTHENTICATED' && /certificate validation failed/.test(e.message)) {
    const actual = (e.details as { fingerprint?: string } | undefined)?.fingerprint;
    return new AppError(
      'UNAUTHENTICATED',
      remote.fingerprint !== undefined
        ? `${what}: certificate fingerprint mismatch - expected ${remote.fingerprint.toLowerCase()}, the server presented ${actual ?? 'another certificate'}`
        : `${what}: the certificate is not trusted and no fingerprint is configured (the server presented ${actual ?? 'an untrusted certificate'})`,
      { details: { fingerprint: actual }, cause: e },
    );
  }
  if (e.code === 'UNAUTHENTICATED')
    return new AppError(
      'UNAUTHENTICATED',
      `${what}: authentication failed for '${remote.authId}' - ${e.message}`,
      {
        cause: e,
      },
    );
  if (e.message.startsWith(what)) return e;
  return new AppError(e.code, `${what}: ${e.message}`, {
    cause: e,
    ...(e.details !== undefined && { details: e.details }),
  });
}

/** An HttpClient for the remote; `store` only fills the repository (the REST paths name stores). */
export function connectRemote(remote: RemoteEndpoint, store = 'store'): HttpClient {
  if (remote.fingerprint !== undefined) normalizeCertFingerprint(remote.fingerprint);
  return new HttpClient({
    repo: new BackupRepository({
      host: remote.host,
      port: remote.port ?? DEFAULT_REMOTE_PORT,
      authId: remote.authId,
      store,
    }),
    password: remote.password,
    ...(remote.fingerprint !== undefined && { fingerprint: remote.fingerprint }),
    ...(remote.ca !== undefined && { ca: remote.ca }),
  });
}

/** Runs `fn` against the remote; failures name the remote. */
export async function withRemote<T>(
  remote: RemoteEndpoint,
  fn: (client: HttpClient) => Promise<T>,
): Promise<T> {
  try {
    return await fn(connectRemote(remote));
  } catch (err) {
    throw remoteError(remote, err);
  }
}

export interface RemoteVersion {
  version: string;
  release: string;
  latencyMs: number;
}

/** Logs in and asks for GET /version. */
export function testRemote(
  remote: RemoteEndpoint,
  now: () => number = () => performance.now(),
): Promise<RemoteVersion> {
  return withRemote(remote, async (client) => {
    const started = now();
    await client.login();
    const reply = (await client.get('/version')) as { version?: string; release?: string } | null;
    return {
      version: String(reply?.version ?? 'unknown'),
      release: String(reply?.release ?? ''),
      latencyMs: Math.round(now() - started),
    };
  });
}

export interface PeerCertificate {
  fingerprint: string;
  subject: string;
  issuer: string;
  notAfter: number | null;
  trusted: boolean;
}

function dn(entries: Record<string, string | string[]> | undefined): string {
  if (!entries) return '';
  return Object.entries(entries)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

/** Reads the certificate a host presents, without sending anything (the admin confirms it). */
export function fetchPeerCertificate(
  host: string,
  port = DEFAULT_REMOTE_PORT,
  timeoutMs = 10_000,
): Promise<PeerCertificate> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: bare, port, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new AppError('BACKEND_UNAVAILABLE', `${host}:${port}: no TLS handshake within ${timeoutMs / 1000} s`),
      );
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate();
      const trusted = socket.authorized && tls.checkServerIdentity(bare, cert) === undefined;
      socket.destroy();
      const notAfter = Date.parse(cert.valid_to);
      resolve({
        fingerprint: cert.fingerprint256.toLowerCase(),
        subject: dn(cert.subject as unknown as Record<string, string>),
        issuer: dn(cert.issuer as unknown as Record<string, string>),
        notAfter: Number.isNaN(notAfter) ? null : Math.floor(notAfter / 1000),
        trusted,
      });
    });
    socket.once('error', (err: Error) => {
      clearTimeout(timer);
      reject(new AppError('BACKEND_UNAVAILABLE', `unable to connect to ${host}:${port} - ${err.message}`));
    });
  });
}
