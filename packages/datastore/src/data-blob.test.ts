import { createHash } from 'node:crypto';
import zstd from 'zstd-napi/binding.js';
import { describe, expect, it } from 'vitest';
import { CryptConfig } from './crypt-config.js';
import { DataBlob, type BlobKind } from './data-blob.js';
import { parseDigest, sha256Digest } from './digest.js';
import { COMPRESSED_BLOB_MAGIC_1_0, MAX_BLOB_SIZE } from './file-formats.js';
import { readVector, readVectorJson, vectorCryptConfig } from './testing/vectors.js';

interface BlobSidecar {
  magic: string;
  crc32: string;
  blob_size: number;
  plaintext: string;
  plaintext_sha256: string;
  chunk_digest: string;
  iv?: string;
  byte_exact: boolean;
  requested: { compress: boolean; encrypt: boolean };
}

const KIND_OF_SIDECAR: Record<string, BlobKind> = {
  uncompressed: 'uncompressed',
  'compressed(zstd)': 'compressed',
  encrypted: 'encrypted',
  'encrypted+compressed': 'encrypted-compressed',
};

const VARIANTS = ['uncompressed', 'compressed', 'encrypted', 'encrypted-compressed'] as const;
const VECTORS = ['text', 'random', 'empty'].flatMap((p) => VARIANTS.map((v) => `${p}.${v}.blob`));
const key = vectorCryptConfig('nokdf');

function sidecar(name: string): BlobSidecar {
  return readVectorJson<BlobSidecar>(`blobs/${name}.json`);
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

describe('DataBlob golden vectors', () => {
  it.each(VECTORS)('decodes %s as the reference did', (name) => {
    const meta = sidecar(name);
    const blob = DataBlob.load(readVector(`blobs/${name}`), `blob '${name}'`);
    expect(blob.kind).toBe(KIND_OF_SIDECAR[meta.magic]);
    expect(blob.storedCrc.toString(16).padStart(8, '0')).toBe(meta.crc32);
    const data = blob.decode({ crypt: key, digest: parseDigest(meta.chunk_digest) });
    expect(sha256(data)).toBe(meta.plaintext_sha256);
  });

  it.each(VECTORS)('encodes %s byte-exactly where the vectors allow it', (name) => {
    const meta = sidecar(name);
    const kind = KIND_OF_SIDECAR[meta.magic];
    const exact = kind === 'uncompressed' || kind === 'encrypted';
    const plaintext = readVector(`blobs/${meta.plaintext}`);
    const blob = DataBlob.encode(plaintext, {
      compress: meta.requested.compress,
      crypt: meta.requested.encrypt ? key : undefined,
      iv: meta.iv ? Buffer.from(meta.iv, 'hex') : undefined,
    });
    expect(blob.kind).toBe(kind);
    if (exact) expect(blob.raw).toEqual(readVector(`blobs/${name}`));
    expect(sha256(blob.decode({ crypt: key }))).toBe(meta.plaintext_sha256);
  });

  it('computes plain and keyed chunk digests like the reference', () => {
    const text = readVector('blobs/text.txt');
    expect(sha256Digest(text)).toBe(sidecar('text.uncompressed.blob').chunk_digest);
    expect(key.computeDigest(text)).toBe(sidecar('text.encrypted.blob').chunk_digest);
  });
});

function corruptOf(raw: Buffer, mutate: (b: Buffer) => void): Buffer {
  const copy = Buffer.from(raw);
  mutate(copy);
  return copy;
}

/** A zstd frame without a content size in its header, as streaming compressors write them. */
function streamedFrame(data: Buffer): Buffer {
  const cctx = new zstd.CCtx();
  const out = Buffer.alloc(zstd.compressBound(data.length) + 64);
  const [, produced] = cctx.compressStream2(out, data, zstd.EndDirective.end);
  return out.subarray(0, produced);
}

function compressedBlob(frame: Buffer): Buffer {
  const raw = Buffer.concat([COMPRESSED_BLOB_MAGIC_1_0, Buffer.alloc(4), frame]);
  DataBlob.fromRaw(raw, 'b').updateCrc();
  return raw;
}

describe('DataBlob corruption', () => {
  const text = readVector('blobs/text.compressed.blob');
  const enc = readVector('blobs/text.encrypted.blob');

  it('names the blob and both CRCs on a CRC mismatch', () => {
    const raw = corruptOf(text, (b) => (b[100] = (b[100] ?? 0) ^ 1));
    expect(() => DataBlob.load(raw, "blob 'index.json.blob'")).toThrow(
      /^blob 'index\.json\.blob': crc mismatch \(stored 0xd09f362e, computed 0x[0-9a-f]{8}\)$/,
    );
  });

  it('rejects truncated blobs, short encrypted headers and unknown magics', () => {
    expect(() => DataBlob.fromRaw(text.subarray(0, 11), 'b')).toThrow('b: blob too small (11 bytes)');
    expect(() => DataBlob.fromRaw(enc.subarray(0, 43), 'b')).toThrow(
      'b: encrypted blob too small (43 bytes)',
    );
    expect(() =>
      DataBlob.fromRaw(
        corruptOf(text, (b) => b.fill(0, 0, 8)),
        'b',
      ),
    ).toThrow('b: unknown blob magic 0000000000000000');
    for (const raw of [text.subarray(0, 11), enc.subarray(0, 43)]) {
      expect(() => DataBlob.load(raw, 'b')).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
    }
  });

  it('detects a truncated payload through the CRC and a broken frame when the CRC is fixed', () => {
    const truncated = text.subarray(0, text.length - 10);
    expect(() => DataBlob.load(truncated, 'b')).toThrow(/crc mismatch/);
    const blob = DataBlob.fromRaw(Buffer.from(truncated), 'b');
    blob.updateCrc();
    expect(() => DataBlob.load(blob.raw, 'b').decode()).toThrow(/^b: zstd decode failed/);
  });

  it('reports a wrong digest and a wrong length', () => {
    const blob = DataBlob.load(text, 'chunk 1234');
    const wrong = parseDigest('0'.repeat(64));
    expect(() => blob.decode({ digest: wrong })).toThrow(
      /^chunk 1234: wrong digest \(expected 0{64}, computed /,
    );
    const digest = parseDigest(sidecar('text.compressed.blob').chunk_digest);
    expect(() => blob.verifyUnencrypted(10561, digest)).toThrow(
      'chunk 1234: wrong length (expected 10561, got 10560)',
    );
    blob.verifyUnencrypted(10560, digest);
  });

  it('refuses to decrypt without a key or with the wrong key', () => {
    const blob = DataBlob.load(enc, 'b');
    expect(() => blob.decode()).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const other = CryptConfig.fromKey(Buffer.alloc(32, 1));
    expect(() => blob.decode({ crypt: other })).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
    const tampered = DataBlob.fromRaw(
      corruptOf(enc, (b) => (b[50] = (b[50] ?? 0) ^ 1)),
      'b',
    );
    tampered.updateCrc();
    expect(() => tampered.decode({ crypt: key })).toThrow(/^b: decryption failed/);
  });

  it('lets the server rewrite a client CRC', () => {
    const blob = DataBlob.fromRaw(
      corruptOf(text, (b) => b.writeUInt32LE(0, 8)),
      'b',
    );
    expect(() => blob.verifyCrc()).toThrow(/crc mismatch/);
    blob.updateCrc();
    blob.verifyCrc();
    expect(blob.raw).toEqual(text);
  });

  it('decodes frames without a declared size and bounds what a frame may expand to', () => {
    const data = Buffer.alloc(3 * 1024 * 1024 + 17, 'ab');
    expect(
      DataBlob.load(compressedBlob(streamedFrame(data)), 'b')
        .decode()
        .equals(data),
    ).toBe(true);
    // a frame header declaring MAX_BLOB_SIZE + 1 bytes, then one last RLE block of 1 byte
    const header = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0, 0, 0, 0, 0, 0, 0, 0]);
    header.writeBigUInt64LE(BigInt(MAX_BLOB_SIZE + 1), 5);
    const frame = Buffer.concat([header, Buffer.from([0x0b, 0x00, 0x00, 0x61])]);
    expect(() => DataBlob.load(compressedBlob(frame), 'b').decode()).toThrow(
      /^b: zstd decode failed: decompressed data exceeds 134217728 bytes$/,
    );
  });

  it('refuses to encode more than MAX_BLOB_SIZE bytes', () => {
    expect(() => DataBlob.encode(Buffer.allocUnsafe(MAX_BLOB_SIZE + 1))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
