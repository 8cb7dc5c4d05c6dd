import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { replaceFileAtomic, withFileLock } from '@pbs/config';

/*
 * Key material in etc/, as PBS lays it out: authkey.key / authkey.pub sign and verify tickets
 * (Ed25519, PEM; PBS also accepts older RSA keys, so we read those too), csrf.key holds the
 * HMAC secret for CSRF tokens (64 random bytes, base64 without padding). Missing keys are
 * created once, under a lock so two processes starting together agree on one key.
 */

export interface AuthKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  csrfKey: Buffer;
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function ensureSigningKey(etcDir: string): Promise<void> {
  const privPath = path.join(etcDir, 'authkey.key');
  const pubPath = path.join(etcDir, 'authkey.pub');
  if ((await readOptional(privPath)) !== undefined && (await readOptional(pubPath)) !== undefined) return;
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  await replaceFileAtomic(privPath, privateKey, { mode: 0o600 });
  await replaceFileAtomic(pubPath, publicKey, { mode: 0o640 });
}

async function ensureCsrfKey(etcDir: string): Promise<void> {
  const csrfPath = path.join(etcDir, 'csrf.key');
  if ((await readOptional(csrfPath)) !== undefined) return;
  const key = randomBytes(64).toString('base64').replace(/=+$/, '');
  await replaceFileAtomic(csrfPath, key, { mode: 0o600 });
}

export async function loadOrCreateAuthKeys(etcDir: string): Promise<AuthKeys> {
  await fsp.mkdir(etcDir, { recursive: true });
  await withFileLock(path.join(etcDir, '.authkey.lck'), { exclusive: true }, async () => {
    await ensureSigningKey(etcDir);
    await ensureCsrfKey(etcDir);
  });
  const [priv, pub, csrf] = await Promise.all(
    ['authkey.key', 'authkey.pub', 'csrf.key'].map((name) => fsp.readFile(path.join(etcDir, name), 'utf8')),
  );
  return {
    privateKey: createPrivateKey(priv ?? ''),
    publicKey: createPublicKey(pub ?? ''),
    csrfKey: Buffer.from((csrf ?? '').trim(), 'base64'),
  };
}
