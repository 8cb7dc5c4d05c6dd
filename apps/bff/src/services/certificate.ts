/**
 * The server's TLS certificate: self-signed at first start and kept in etc/ (proxy.key and
 * proxy.pem, as PBS names them) so clients can pin its fingerprint across restarts.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import selfsigned from 'selfsigned';
import { replaceFileAtomic } from '@pbs/config';

export interface ServerCertificate {
  key: string;
  cert: string;
  /** SHA-256 of the DER certificate, lowercase hex pairs joined by ':' (PBS's format) */
  fingerprint: string;
}

export function certificateFingerprint(certPem: string): string {
  return new crypto.X509Certificate(certPem).fingerprint256.toLowerCase();
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function generate(): Promise<{ key: string; cert: string }> {
  const hostname = os.hostname();
  const notAfter = new Date();
  notAfter.setFullYear(notAfter.getFullYear() + 10);
  const result = await selfsigned.generate([{ name: 'commonName', value: hostname }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: hostname },
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { key: result.private, cert: result.cert };
}

export async function loadOrCreateCertificate(
  etcDir: string,
): Promise<ServerCertificate & { created: boolean }> {
  const keyFile = path.join(etcDir, 'proxy.key');
  const certFile = path.join(etcDir, 'proxy.pem');
  const [key, cert] = await Promise.all([readIfExists(keyFile), readIfExists(certFile)]);
  if (key !== undefined && cert !== undefined) {
    return { key, cert, fingerprint: certificateFingerprint(cert), created: false };
  }
  const fresh = await generate();
  await replaceFileAtomic(keyFile, fresh.key, { mode: 0o600 });
  await replaceFileAtomic(certFile, fresh.cert, { mode: 0o644 });
  return { ...fresh, fingerprint: certificateFingerprint(fresh.cert), created: true };
}
