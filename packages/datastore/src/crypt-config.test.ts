import { describe, expect, it } from 'vitest';
import { CryptConfig } from './crypt-config.js';
import { formatFingerprint, parseFingerprint, shortFingerprint } from './fingerprint.js';
import { vectorKeyInfo } from './testing/vectors.js';

describe('CryptConfig', () => {
  const crypt = CryptConfig.fromKey(Buffer.from(vectorKeyInfo('nokdf').raw_key, 'hex'));

  it('encrypts with a 16-byte IV and decrypts what it encrypted', () => {
    const data = Buffer.from('secret data');
    const enc = crypt.encrypt(data);
    expect([enc.iv.length, enc.tag.length, enc.ciphertext.length]).toEqual([16, 16, data.length]);
    expect(crypt.decrypt(enc.ciphertext, enc.iv, enc.tag)).toEqual(data);
    expect(crypt.encrypt(data).iv).not.toEqual(enc.iv);
  });

  it('is deterministic for an injected IV and rejects tampering', () => {
    const iv = Buffer.alloc(16, 9);
    const a = crypt.encrypt(Buffer.from('x'), iv);
    expect(crypt.encrypt(Buffer.from('x'), iv)).toEqual(a);
    const tag = Buffer.from(a.tag);
    tag[0] = (tag[0] ?? 0) ^ 1;
    expect(() => crypt.decrypt(a.ciphertext, a.iv, tag)).toThrow(
      expect.objectContaining({ code: 'CORRUPT_DATA' }),
    );
  });

  it('refuses keys and IVs of the wrong length', () => {
    expect(() => CryptConfig.fromKey(Buffer.alloc(31))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => crypt.encrypt(Buffer.from('x'), Buffer.alloc(12))).toThrow('iv must have 16 bytes');
  });

  it('formats fingerprints as PBS does and parses them back', () => {
    const fp = crypt.fingerprint();
    expect(formatFingerprint(fp)).toBe(vectorKeyInfo('nokdf').fingerprint);
    expect(shortFingerprint(fp)).toBe('f4:61:0d:bf:ea:94:19:67');
    expect(parseFingerprint(formatFingerprint(fp).toUpperCase(), 'k')).toEqual(fp);
    expect(parseFingerprint(fp.toString('hex'), 'k')).toEqual(fp);
    expect(() => parseFingerprint('f4:61', "key 'k'")).toThrow("key 'k': invalid key fingerprint 'f4:61'");
  });
});
