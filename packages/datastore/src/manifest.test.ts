import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CryptConfig } from './crypt-config.js';
import { DataBlob } from './data-blob.js';
import { parseKeyConfig } from './key-config.js';
import { decryptKeyConfig } from './key-file.js';
import {
  chunkCryptModeOf,
  formatManifest,
  lookupManifestFile,
  parseManifest,
  verifyManifestFile,
  type BackupManifest,
} from './manifest.js';
import {
  checkManifestFingerprint,
  computeManifestSignature,
  decodeManifestBlob,
  encodeManifestBlob,
  signManifest,
  verifyManifestSignature,
} from './manifest-signature.js';
import { readVector, readVectorJson, VECTOR_PASSPHRASE, vectorCryptConfig } from './testing/vectors.js';

const PLAIN_BLOB = 'datastore/host/vec-plain/2023-11-14T22:13:20Z/index.json.blob';
const ENC_BLOB = 'datastore/host/vec-enc/2023-11-14T23:13:20Z/index.json.blob';

function loadManifest(rel: string, crypt?: CryptConfig): BackupManifest {
  return decodeManifestBlob(DataBlob.load(readVector(rel), "blob 'index.json.blob'"), crypt);
}

describe('manifest golden vectors', () => {
  it('decodes vec-plain and writes it back byte-exactly', () => {
    const m = loadManifest(PLAIN_BLOB);
    expect(m).toMatchObject({
      backupType: 'host',
      backupId: 'vec-plain',
      backupTime: 1_700_000_000,
      signature: null,
    });
    expect(m.files.map((f) => f.filename)).toEqual([
      'root.pxar.didx',
      'catalog.pcat1.didx',
      'disk.img.fidx',
      'qemu-server.conf.blob',
    ]);
    expect(formatManifest(m)).toBe(readVector('datastore-dumps/vec-plain.index.json').toString('utf8'));
  });

  it('verifies vec-enc with the scrypt key file and reproduces its signed text and signature', async () => {
    const keyFile = parseKeyConfig(readVector('keys/key-scrypt.json'));
    const crypt = CryptConfig.fromKey((await decryptKeyConfig(keyFile, VECTOR_PASSPHRASE)).key);
    const m = loadManifest(ENC_BLOB, crypt);
    const dump = readVectorJson<{ signature: string }>('datastore-dumps/vec-enc.manifest-signature.json');
    expect(m.signature).toBe(dump.signature);
    expect(computeManifestSignature(m, crypt)).toBe(dump.signature);
    const resigned = signManifest({ ...m, signature: null, unprotected: {} }, crypt);
    expect(formatManifest(resigned)).toBe(readVector('datastore-dumps/vec-enc.index.json').toString('utf8'));
  });

  it('matches the signature test of PBS manifest.rs', () => {
    const key = scryptSync('test', Buffer.alloc(0), 32, { N: 65536, r: 8, p: 1, maxmem: 256 * 1024 * 1024 });
    const crypt = CryptConfig.fromKey(key);
    const m: BackupManifest = {
      backupType: 'host',
      backupId: 'elsa',
      backupTime: Date.parse('2020-06-26T13:56:05Z') / 1000,
      files: [
        { filename: 'test1.img.fidx', size: 200, csum: '01'.repeat(32), cryptMode: 'encrypt' },
        { filename: 'abc.blob', size: 200, csum: '02'.repeat(32), cryptMode: 'none' },
      ],
      unprotected: { note: 'This is not protected by the signature.' },
      signature: null,
    };
    expect(signManifest(m, crypt).signature).toBe(
      'd7b446fb7db081662081d4b40fedd858a1d6307a5aff4ecff7d5bf4fd35679e9',
    );
  });
});

describe('manifest checks', () => {
  const enc = vectorCryptConfig('scrypt');
  const other = vectorCryptConfig('nokdf');
  const signed = loadManifest(ENC_BLOB, enc);

  it('rejects a tampered signed part but not changed unprotected fields', () => {
    const tampered = { ...signed, backupTime: signed.backupTime + 1 };
    expect(() => verifyManifestSignature(tampered, enc)).toThrow('manifest: wrong signature in manifest');
    verifyManifestSignature({ ...signed, unprotected: { ...signed.unprotected, notes: 'changed' } }, enc);
  });

  it('names both keys when the wrong key or no key is given', () => {
    expect(() => verifyManifestSignature(signed, other)).toThrow(
      "manifest: wrong key - manifest's key ae:42:b3:8c:92:20:e3:f8 does not match provided key f4:61:0d:bf:ea:94:19:67",
    );
    expect(() => checkManifestFingerprint(signed, undefined)).toThrow(
      'manifest: missing key - manifest was created with key ae:42:b3:8c:92:20:e3:f8',
    );
    checkManifestFingerprint(loadManifest(PLAIN_BLOB), undefined);
  });

  it('round-trips through index.json.blob, compressed and unencrypted', () => {
    const blob = encodeManifestBlob(signed);
    expect(blob.kind).toBe('compressed');
    expect(decodeManifestBlob(DataBlob.load(blob.raw, blob.what), enc)).toEqual(signed);
  });

  it('looks up and verifies listed files', () => {
    const file = lookupManifestFile(signed, 'disk.img.fidx');
    expect(chunkCryptModeOf(file)).toBe('encrypt');
    verifyManifestFile(signed, 'disk.img.fidx', file.csum.toUpperCase(), 9437184);
    expect(() => verifyManifestFile(signed, 'disk.img.fidx', file.csum, 1)).toThrow(
      "file 'disk.img.fidx': wrong size (9437184 != 1)",
    );
    expect(() => lookupManifestFile(signed, 'nope.blob')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
  });

  it('defaults crypt-mode and unprotected like pre-0.8 manifests and drops unknown keys', () => {
    const m = parseManifest(
      '{"backup-type":"vm","backup-id":"100","backup-time":1,"files":[{"filename":"a.blob","size":1,"csum":"' +
        'AB'.repeat(32) +
        '","extra":1}],"future":true}',
    );
    expect(m).toEqual({
      backupType: 'vm',
      backupId: '100',
      backupTime: 1,
      files: [{ filename: 'a.blob', cryptMode: 'none', size: 1, csum: 'ab'.repeat(32) }],
      unprotected: {},
      signature: null,
    });
    expect(formatManifest(m)).not.toContain('future');
  });

  it.each([
    ['{', 'unable to parse backup manifest json'],
    ['{"backup-type":"pc","backup-id":"1","backup-time":1,"files":[]}', 'invalid backup-type "pc"'],
    ['{"backup-type":"vm","backup-id":"1","backup-time":1.5,"files":[]}', "'backup-time' must be an integer"],
    ['{"backup-type":"vm","backup-id":"1","backup-time":1}', "'files' must be an array"],
    [
      '{"backup-type":"vm","backup-id":"1","backup-time":1,"files":[{"filename":"a","size":-1,"csum":""}]}',
      "files[0]: 'size' must be a non-negative integer",
    ],
    [
      '{"backup-type":"vm","backup-id":"1","backup-time":1,"files":[{"filename":"a","size":1,"csum":"00"}]}',
      "files[0]: 'csum' must be 32 bytes of hex",
    ],
    [
      '{"backup-type":"vm","backup-id":"1","backup-time":1,"files":[{"filename":"a","size":1,"csum":"' +
        '0'.repeat(64) +
        '","crypt-mode":"rot13"}]}',
      'files[0]: invalid crypt-mode "rot13"',
    ],
    [
      '{"backup-type":"vm","backup-id":"1","backup-time":1,"files":[],"signature":5}',
      "'signature' must be a string or null",
    ],
  ])('rejects %s', (text, message) => {
    expect(() => parseManifest(text, "blob 'index.json.blob'")).toThrow(
      expect.objectContaining({ code: 'CORRUPT_DATA', message: `blob 'index.json.blob': ${message}` }),
    );
  });
});
