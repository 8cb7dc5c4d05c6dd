import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseKeyConfig } from '@pbs/datastore';
import { TESTDATA_DIR, streamA } from '../testing/vectors.js';
import { ChunkEncoder } from '../backup/chunk-encoder.js';
import { resolveCryptoParams, unlockKey, describeKeySource } from './crypto-params.js';
import { changeKeyPassphrase, createKeyFile, keyInfo, readKeyFile } from './key-files.js';

const keysDir = path.join(TESTDATA_DIR, 'keys');
interface KeyVectorInfo {
  fingerprint: string;
  passphrase?: string;
  keyed_chunk_digests: { plaintext: string; digest: string }[];
}
const info = async (name: string) =>
  JSON.parse(await fs.readFile(path.join(keysDir, `${name}.info.json`), 'utf8')) as KeyVectorInfo;

describe('key files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pbs-client-keys-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  for (const name of ['key-nokdf', 'key-scrypt', 'key-pbkdf2']) {
    it(`${name}.json unlocks to the reference fingerprint and keyed digests`, async () => {
      const v = await info(name);
      const data = await fs.readFile(path.join(keysDir, `${name}.json`));
      const unlocked = await unlockKey({ source: { kind: 'path', path: name }, data }, () =>
        Promise.resolve(v.passphrase),
      );
      expect(unlocked.fingerprint).toBe(v.fingerprint);
      const encoder = new ChunkEncoder(unlocked.crypt);
      // text.txt is rule-generated; random.bin = stream-A[0, 4096)
      const random = v.keyed_chunk_digests.find((d) => d.plaintext.endsWith('random.bin'));
      expect(encoder.digest(streamA(0, 4096))).toBe(random?.digest);
    });
  }

  it('refuses a wrong passphrase and a missing one', async () => {
    const data = await fs.readFile(path.join(keysDir, 'key-scrypt.json'));
    const key = { source: { kind: 'path' as const, path: 'k' }, data };
    await expect(unlockKey(key, () => Promise.resolve('wrong-passphrase'))).rejects.toThrow(
      /unable to decrypt key/,
    );
    await expect(unlockKey(key, () => Promise.resolve(undefined))).rejects.toThrow(
      /no password input mechanism/,
    );
  });

  it('create (none and scrypt), show and change-passphrase', async () => {
    const plain = path.join(dir, 'sub', 'plain.json');
    const created = await createKeyFile(plain, { kdf: 'none', now: 1_700_000_000 });
    expect(created).toMatchObject({ kdf: 'none', created: 1_700_000_000, path: plain });
    expect((await fs.stat(plain)).mode & 0o777).toBe(0o600);
    await expect(createKeyFile(plain, { kdf: 'none', now: 1 })).rejects.toThrow(/already exists/);
    await expect(createKeyFile(path.join(dir, 'h.json'), { kdf: 'none', hint: 'x', now: 1 })).rejects.toThrow(
      /hint not allowed/,
    );

    const locked = path.join(dir, 'locked.json');
    const made = await createKeyFile(locked, {
      kdf: 'scrypt',
      passphrase: 'secret-1',
      hint: 'one',
      now: 1_700_000_000,
    });
    expect(keyInfo(await readKeyFile(locked))).toMatchObject({
      kdf: 'scrypt',
      hint: 'one',
      fingerprint: made.fingerprint,
    });

    const changed = await changeKeyPassphrase(locked, {
      kdf: 'scrypt',
      oldPassphrase: 'secret-1',
      passphrase: 'secret-2',
      now: 1_800_000_000,
    });
    expect(changed).toMatchObject({
      fingerprint: made.fingerprint,
      created: 1_700_000_000,
      modified: 1_800_000_000,
    });
    const data = await fs.readFile(locked);
    await expect(
      unlockKey({ source: { kind: 'path', path: locked }, data }, () => Promise.resolve('secret-1')),
    ).rejects.toThrow();
    const again = await unlockKey({ source: { kind: 'path', path: locked }, data }, () =>
      Promise.resolve('secret-2'),
    );
    expect(again.fingerprint).toBe(made.fingerprint);
    // the written file is a PBS key config
    expect(parseKeyConfig(data).kdf?.kind).toBe('scrypt');
  });

  it('crypto parameters follow PBS', async () => {
    const keyfile = path.join(keysDir, 'key-nokdf.json');
    const noDefault = path.join(dir, 'none', 'encryption-key.json');
    expect(await resolveCryptoParams({ defaultKeyPath: noDefault })).toEqual({ mode: 'none' });
    expect((await resolveCryptoParams({ defaultKeyPath: noDefault, keyfile })).mode).toBe('encrypt');
    const signOnly = await resolveCryptoParams({
      defaultKeyPath: noDefault,
      keyfile,
      cryptMode: 'sign-only',
    });
    expect(signOnly.mode).toBe('sign-only');
    await expect(
      resolveCryptoParams({ defaultKeyPath: noDefault, keyfile, cryptMode: 'none' }),
    ).rejects.toThrow(/mutually exclusive/);
    await expect(resolveCryptoParams({ defaultKeyPath: noDefault, cryptMode: 'encrypt' })).rejects.toThrow(
      /no default key file/,
    );
    const def = path.join(dir, 'def', 'encryption-key.json');
    await fs.mkdir(path.dirname(def), { recursive: true });
    await fs.copyFile(keyfile, def);
    const withDefault = await resolveCryptoParams({ defaultKeyPath: def });
    expect(withDefault.mode).toBe('encrypt');
    expect(withDefault.key && describeKeySource(withDefault.key.source)).toBe(
      'Using default encryption key..',
    );
  });
});
