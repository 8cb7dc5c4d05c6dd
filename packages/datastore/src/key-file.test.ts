import { describe, expect, it } from 'vitest';
import { CryptConfig } from './crypt-config.js';
import { epochToRfc3339Utc, parseKeyConfig, serializeKeyConfig } from './key-config.js';
import { createKeyConfig, decryptKeyConfig } from './key-file.js';
import { readVector, VECTOR_PASSPHRASE, vectorKeyInfo, type VectorKeyName } from './testing/vectors.js';

const KEYS: VectorKeyName[] = ['nokdf', 'pbkdf2', 'scrypt'];

describe('key files (golden vectors)', () => {
  it.each(KEYS)('key-%s.json decodes to its raw key and fingerprint', async (name) => {
    const info = vectorKeyInfo(name);
    const config = parseKeyConfig(readVector(`keys/key-${name}.json`), `key file 'key-${name}.json'`);
    expect(config.kdf?.kind ?? 'none').toBe(name === 'nokdf' ? 'none' : name);
    expect(config.created).toBe(Date.parse('2026-11-25T11:57:45Z') / 1000);
    const unlocked = await decryptKeyConfig(config, name === 'nokdf' ? undefined : VECTOR_PASSPHRASE);
    expect(unlocked.key.toString('hex')).toBe(info.raw_key);
    expect(unlocked.fingerprint).toBe(info.fingerprint);
  });

  it.each(KEYS)('key-%s derives the reference id_key, fingerprint and keyed digests', (name) => {
    const info = vectorKeyInfo(name);
    const crypt = CryptConfig.fromKey(Buffer.from(info.raw_key, 'hex'));
    expect(crypt.idKey.toString('hex')).toBe(info.id_key);
    expect(crypt.fingerprintString()).toBe(info.fingerprint);
    for (const { plaintext, digest } of info.keyed_chunk_digests) {
      expect(crypt.computeDigest(readVector(`keys/${plaintext}`))).toBe(digest);
    }
  });

  it('refuses a wrong passphrase, a missing one and a too short one', async () => {
    const config = parseKeyConfig(readVector('keys/key-pbkdf2.json'));
    await expect(decryptKeyConfig(config, 'wrong-passphrase')).rejects.toThrow(
      'key file: unable to decrypt key (wrong passphrase?)',
    );
    await expect(decryptKeyConfig(config)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(decryptKeyConfig(config, 'abcd')).rejects.toThrow('passphrase is too short');
    await expect(decryptKeyConfig({ ...config, hint: 'the usual' }, 'wrong-passphrase')).rejects.toThrow(
      '(password hint: the usual)',
    );
  });

  it('refuses a key whose stored fingerprint does not match', async () => {
    const config = parseKeyConfig(readVector('keys/key-nokdf.json'));
    const other = CryptConfig.fromKey(Buffer.alloc(32, 7)).fingerprintString();
    const tampered = { ...config, fingerprint: other };
    await expect(decryptKeyConfig(tampered)).rejects.toMatchObject({ code: 'CORRUPT_DATA' });
    await expect(decryptKeyConfig(tampered)).rejects.toThrow(`contains wrong fingerprint ${other}`);
  });
});

describe('key file codec', () => {
  const raw = Buffer.alloc(32, 0x5a);

  it('writes keys in PBS struct order and reads them back', async () => {
    const config = await createKeyConfig(raw, {
      kdf: 'pbkdf2',
      passphrase: 'secret-pass',
      now: 1_700_000_000,
      salt: Buffer.alloc(32, 1),
      iv: Buffer.alloc(16, 2),
      hint: 'h',
    });
    const text = serializeKeyConfig(config);
    expect(text).toMatch(
      /^\{"kdf":\{"PBKDF2":\{"iter":65535,"salt":"AQEB[^"]+"\}\},"created":"2023-11-14T22:13:20Z","modified":"2023-11-14T22:13:20Z","data":"[^"]+","fingerprint":"[0-9a-f:]{95}","hint":"h"\}$/,
    );
    const back = parseKeyConfig(text);
    expect((await decryptKeyConfig(back, 'secret-pass')).key).toEqual(raw);
  });

  it('creates plain and scrypt keys PBS can read', async () => {
    const plain = await createKeyConfig(raw, { kdf: 'none', now: 0 });
    expect(serializeKeyConfig(plain)).toMatch(/^\{"kdf":null,"created":"1970-01-01T00:00:00Z",/);
    expect((await decryptKeyConfig(parseKeyConfig(serializeKeyConfig(plain)))).key).toEqual(raw);
    const scrypted = await createKeyConfig(raw, { kdf: 'scrypt', passphrase: 'secret-pass', now: 0 });
    expect(serializeKeyConfig(scrypted)).toMatch(/^\{"kdf":\{"Scrypt":\{"n":65536,"r":8,"p":1,"salt":/);
    expect((await decryptKeyConfig(scrypted, 'secret-pass')).key).toEqual(raw);
  });

  it.each([
    ['not json', 'invalid JSON'],
    ['[]', 'not a JSON object'],
    [
      '{"kdf":null,"created":"yesterday","modified":"2023-11-14T22:13:20Z","data":""}',
      "'created' is not an RFC 3339 time",
    ],
    [
      '{"kdf":null,"created":"2023-11-14T22:13:20Z","modified":"2023-11-14T22:13:20Z","data":"***"}',
      "'data' is not base64",
    ],
    [
      '{"kdf":{"Argon2":{}},"created":"2023-11-14T22:13:20Z","modified":"2023-11-14T22:13:20Z","data":""}',
      "'kdf' must be",
    ],
    [
      '{"kdf":{"Scrypt":{"n":0,"r":8,"p":1,"salt":""}},"created":"2023-11-14T22:13:20Z","modified":"2023-11-14T22:13:20Z","data":""}',
      "'n' must be a positive integer",
    ],
    [
      '{"kdf":null,"created":"2023-11-14T22:13:20Z","modified":"2023-11-14T22:13:20Z","data":"","fingerprint":"ab:cd"}',
      'invalid key fingerprint',
    ],
  ])('rejects %s', (text, message) => {
    expect(() => parseKeyConfig(text, "key file 'k.json'")).toThrow(
      expect.objectContaining({ code: 'CORRUPT_DATA' }),
    );
    expect(() => parseKeyConfig(text, "key file 'k.json'")).toThrow(`key file 'k.json': ${message}`);
  });

  it('accepts RFC 3339 times with offsets, as proxmox_time does', () => {
    const text =
      '{"kdf":null,"created":"2023-11-15T00:13:20+02:00","modified":"2023-11-14T22:13:20.5Z","data":""}';
    expect(parseKeyConfig(text)).toMatchObject({ created: 1_700_000_000, modified: 1_700_000_000 });
    expect(epochToRfc3339Utc(1_700_000_000)).toBe('2023-11-14T22:13:20Z');
  });
});
