import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/*
 * Self-describing scrypt hashes: `$scrypt$N=16384,r=8,p=1$<salt b64>$<hash b64>`. Parameters
 * travel with the hash so they can be raised later without invalidating stored ones; on
 * reading they are bounded so a tampered file cannot make verification exhaust memory.
 */

const PARAMS = { N: 16384, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const HASH_REGEX = /^\$scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

function derive(secret: string, salt: Buffer, keylen: number, params: typeof PARAMS): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFKC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(secret, salt, KEY_BYTES, PARAMS);
  return `$scrypt$N=${PARAMS.N},r=${PARAMS.r},p=${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parseHash(hash: string): { params: typeof PARAMS; salt: Buffer; key: Buffer } | undefined {
  const m = HASH_REGEX.exec(hash);
  if (!m) return undefined;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const sane = N >= 2 && N <= 1 << 20 && (N & (N - 1)) === 0 && r >= 1 && r <= 32 && p >= 1 && p <= 16;
  if (!sane) return undefined;
  const salt = Buffer.from(m[4] ?? '', 'base64');
  const key = Buffer.from(m[5] ?? '', 'base64');
  if (key.length < 16 || key.length > 64) return undefined;
  return { params: { N, r, p }, salt, key };
}

/** False for a wrong secret and for a hash this code cannot read (e.g. a foreign crypt format). */
export async function verifySecret(secret: string, hash: string): Promise<boolean> {
  const parsed = parseHash(hash);
  if (!parsed) return false;
  const key = await derive(secret, parsed.salt, parsed.key.length, parsed.params);
  return timingSafeEqual(key, parsed.key);
}

/** Spends the time of one verification, so an unknown user answers as slowly as a known one. */
export async function burnVerification(secret: string): Promise<void> {
  await derive(secret, Buffer.alloc(SALT_BYTES), KEY_BYTES, PARAMS);
}
