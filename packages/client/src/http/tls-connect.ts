import net from 'node:net';
import tls from 'node:tls';
import { AppError } from '@pbs/api-types/errors';

/*
 * TLS connections with PBS's certificate rule (http_client.rs verify_callback): a certificate the
 * system trusts (CA chain and host name) is accepted; any other is accepted only if its SHA-256
 * fingerprint equals the expected one (--fingerprint, PBS_FINGERPRINT or the fingerprint cache),
 * or the user confirms it interactively. The check completes before a single byte (credentials)
 * is written. The error names the fingerprint so the user can verify it and pass it on.
 */

const FINGERPRINT = /^(?:[0-9a-fA-F]{2})(?::[0-9a-fA-F]{2}){31}$/;

/** Lowercase colon hex; INVALID_ARGUMENT unless `text` is a SHA-256 fingerprint (FINGERPRINT_SHA256_REGEX). */
export function normalizeCertFingerprint(text: string): string {
  const trimmed = text.trim();
  if (!FINGERPRINT.test(trimmed)) {
    throw new AppError(
      'INVALID_ARGUMENT',
      `invalid certificate fingerprint '${text}' (expected 32 colon-separated hex bytes)`,
    );
  }
  return trimmed.toLowerCase();
}

export interface TlsTarget {
  /** DNS name, IPv4 or bracketed IPv6 */
  readonly host: string;
  readonly port: number;
}

export interface TlsTrust {
  /** expected certificate fingerprint (colon hex) */
  readonly fingerprint?: string;
  /** asked when the certificate is neither trusted nor expected; true accepts it */
  readonly confirm?: (fingerprint: string, expected: string | undefined) => Promise<boolean>;
  /** extra trusted CA certificates (PEM) */
  readonly ca?: string | readonly string[];
}

export interface VerifiedSocket {
  readonly socket: tls.TLSSocket;
  /** the certificate fingerprint when it was accepted by fingerprint (for the cache), else undefined */
  readonly pinned?: string;
  /** the fingerprint came from `confirm`, not from `trust.fingerprint` */
  readonly confirmed: boolean;
}

function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function unavailable(target: TlsTarget, err: unknown): AppError {
  const message = err instanceof Error ? err.message : String(err);
  return new AppError(
    'BACKEND_UNAVAILABLE',
    `unable to connect to ${target.host}:${target.port} - ${message}`,
    {
      cause: err,
    },
  );
}

function untrusted(target: TlsTarget, actual: string, expected: string | undefined): AppError {
  const mismatch = expected !== undefined ? ` does not match the expected fingerprint ${expected}` : '';
  return new AppError(
    'UNAUTHENTICATED',
    `certificate validation failed for ${target.host}:${target.port} - the certificate is not trusted and its fingerprint ${actual}${mismatch} was not confirmed; verify it (on the server: certificate fingerprint in the dashboard or 'proxmox-backup-manager cert info') and pass it with --fingerprint or PBS_FINGERPRINT`,
    { details: { fingerprint: actual } },
  );
}

function openSocket(target: TlsTarget, trust: TlsTrust): Promise<tls.TLSSocket> {
  const host = bareHost(target.host);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port: target.port,
      ...(net.isIP(host) === 0 && { servername: host }),
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
      ...(trust.ca !== undefined && { ca: trust.ca as string | string[] }),
    });
    socket.once('secureConnect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', (err) => reject(unavailable(target, err)));
  });
}

/** A TLS socket to `target` whose certificate passed PBS's rule; nothing has been written yet. */
export async function connectVerified(target: TlsTarget, trust: TlsTrust = {}): Promise<VerifiedSocket> {
  const socket = await openSocket(target, trust);
  try {
    const cert = socket.getPeerCertificate();
    const host = bareHost(target.host);
    if (socket.authorized && tls.checkServerIdentity(host, cert) === undefined) {
      return { socket, confirmed: false };
    }
    const actual = cert.fingerprint256.toLowerCase();
    const expected =
      trust.fingerprint !== undefined ? normalizeCertFingerprint(trust.fingerprint) : undefined;
    if (expected === actual) return { socket, pinned: actual, confirmed: false };
    if (trust.confirm && (await trust.confirm(actual, expected)))
      return { socket, pinned: actual, confirmed: true };
    throw untrusted(target, actual, expected);
  } catch (err) {
    socket.destroy();
    throw err;
  }
}
