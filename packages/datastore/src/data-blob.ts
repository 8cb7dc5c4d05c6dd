import { crc32 } from 'node:zlib';
import { AppError } from '@pbs/api-types/errors';
import type { CryptConfig } from './crypt-config.js';
import { IV_SIZE, TAG_SIZE } from './crypt-config.js';
import { sha256Digest, type Digest } from './digest.js';
import {
  BLOB_CRC_OFFSET,
  BLOB_HEADER_SIZE,
  BLOB_IV_OFFSET,
  BLOB_TAG_OFFSET,
  COMPRESSED_BLOB_MAGIC_1_0,
  ENCR_COMPR_BLOB_MAGIC_1_0,
  ENCRYPTED_BLOB_HEADER_SIZE,
  ENCRYPTED_BLOB_MAGIC_1_0,
  MAX_BLOB_SIZE,
  UNCOMPRESSED_BLOB_MAGIC_1_0,
} from './file-formats.js';
import { compressInto, decompressBounded } from './zstd.js';

/*
 * PBS DataBlob (data_blob.rs, pbs-formats §2): magic[8] crc32[4] [iv[16] tag[16]] payload.
 * The CRC (IEEE, as zlib) covers the stored payload only. zstd level 1 happens before AES-256-GCM
 * and is kept iff the compressed frame fits in a buffer the size of the input.
 */

export type BlobKind = 'uncompressed' | 'compressed' | 'encrypted' | 'encrypted-compressed';

const KIND_BY_MAGIC = new Map<string, BlobKind>([
  [UNCOMPRESSED_BLOB_MAGIC_1_0.toString('hex'), 'uncompressed'],
  [COMPRESSED_BLOB_MAGIC_1_0.toString('hex'), 'compressed'],
  [ENCRYPTED_BLOB_MAGIC_1_0.toString('hex'), 'encrypted'],
  [ENCR_COMPR_BLOB_MAGIC_1_0.toString('hex'), 'encrypted-compressed'],
]);

const MAGIC_BY_KIND: Readonly<Record<BlobKind, Readonly<Buffer>>> = {
  uncompressed: UNCOMPRESSED_BLOB_MAGIC_1_0,
  compressed: COMPRESSED_BLOB_MAGIC_1_0,
  encrypted: ENCRYPTED_BLOB_MAGIC_1_0,
  'encrypted-compressed': ENCR_COMPR_BLOB_MAGIC_1_0,
};

export function blobKindOfMagic(magic: Uint8Array): BlobKind | undefined {
  return KIND_BY_MAGIC.get(Buffer.from(magic.buffer, magic.byteOffset, 8).toString('hex'));
}

export interface EncodeBlobOptions {
  /** encrypt with this key */
  readonly crypt?: CryptConfig;
  /** try zstd level 1 (default true) */
  readonly compress?: boolean;
  /** fixed IV instead of a random one: only for reproducible tests */
  readonly iv?: Uint8Array;
  /** names the blob in messages (default 'blob') */
  readonly what?: string;
}

export interface DecodeBlobOptions {
  /** key for encrypted blobs */
  readonly crypt?: CryptConfig;
  /** check the decoded data against this chunk digest (keyed when encrypted) */
  readonly digest?: Digest;
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

function corrupt(what: string, reason: string, cause?: unknown): AppError {
  return new AppError('CORRUPT_DATA', `${what}: ${reason}`, { cause });
}

function encodePlain(data: Uint8Array, compress: boolean): { raw: Buffer; kind: BlobKind } {
  const out = Buffer.allocUnsafe(BLOB_HEADER_SIZE + data.length);
  const size = compress ? compressInto(out.subarray(BLOB_HEADER_SIZE), data) : undefined;
  if (size === undefined) {
    out.set(data, BLOB_HEADER_SIZE);
    return { raw: out, kind: 'uncompressed' };
  }
  const used = out.subarray(0, BLOB_HEADER_SIZE + size);
  // do not pin a mostly empty input-sized buffer for the blob's lifetime
  return { raw: used.length < out.length / 2 ? Buffer.from(used) : used, kind: 'compressed' };
}

function encodeEncrypted(data: Uint8Array, crypt: CryptConfig, compress: boolean, iv?: Uint8Array) {
  let payload = data;
  let kind: BlobKind = 'encrypted';
  if (compress) {
    const tmp = Buffer.allocUnsafe(data.length);
    const size = compressInto(tmp, data);
    if (size !== undefined) [payload, kind] = [tmp.subarray(0, size), 'encrypted-compressed'];
  }
  const enc = crypt.encrypt(payload, iv);
  const raw = Buffer.allocUnsafe(ENCRYPTED_BLOB_HEADER_SIZE + enc.ciphertext.length);
  enc.iv.copy(raw, BLOB_IV_OFFSET);
  enc.tag.copy(raw, BLOB_TAG_OFFSET);
  enc.ciphertext.copy(raw, ENCRYPTED_BLOB_HEADER_SIZE);
  return { raw, kind };
}

/** An encoded blob: the exact bytes of a `.blob` file or a chunk file. */
export class DataBlob {
  private constructor(
    /** the stored bytes; shared, never copied — do not modify */
    readonly raw: Buffer,
    readonly kind: BlobKind,
    /** names the blob in messages, e.g. "blob 'index.json.blob'" or "chunk bb9f8df6…" */
    readonly what: string,
  ) {}

  /** Wraps stored bytes after checking size and magic (CORRUPT_DATA); the CRC is not checked. */
  static fromRaw(raw: Buffer, what: string): DataBlob {
    if (raw.length < BLOB_HEADER_SIZE) throw corrupt(what, `blob too small (${raw.length} bytes)`);
    const kind = blobKindOfMagic(raw);
    if (!kind) throw corrupt(what, `unknown blob magic ${raw.subarray(0, 8).toString('hex')}`);
    const blob = new DataBlob(raw, kind, what);
    if (blob.isEncrypted && raw.length < ENCRYPTED_BLOB_HEADER_SIZE) {
      throw corrupt(what, `encrypted blob too small (${raw.length} bytes)`);
    }
    return blob;
  }

  /** fromRaw plus the CRC check PBS does on every load. */
  static load(raw: Buffer, what: string): DataBlob {
    const blob = DataBlob.fromRaw(raw, what);
    blob.verifyCrc();
    return blob;
  }

  /** DataBlob::encode: INVALID_ARGUMENT for data over MAX_BLOB_SIZE. */
  static encode(data: Uint8Array, opts: EncodeBlobOptions = {}): DataBlob {
    const what = opts.what ?? 'blob';
    if (data.length > MAX_BLOB_SIZE) {
      throw new AppError('INVALID_ARGUMENT', `${what}: data blob too large (${data.length} bytes)`);
    }
    const compress = opts.compress ?? true;
    const { raw, kind } = opts.crypt
      ? encodeEncrypted(data, opts.crypt, compress, opts.iv)
      : encodePlain(data, compress);
    MAGIC_BY_KIND[kind].copy(raw, 0);
    const blob = new DataBlob(raw, kind, what);
    blob.updateCrc();
    return blob;
  }

  get isEncrypted(): boolean {
    return this.kind === 'encrypted' || this.kind === 'encrypted-compressed';
  }

  get isCompressed(): boolean {
    return this.kind === 'compressed' || this.kind === 'encrypted-compressed';
  }

  /** the chunk crypt mode this blob satisfies: 'encrypt' or 'none' */
  get cryptMode(): 'none' | 'encrypt' {
    return this.isEncrypted ? 'encrypt' : 'none';
  }

  get headerSize(): number {
    return this.isEncrypted ? ENCRYPTED_BLOB_HEADER_SIZE : BLOB_HEADER_SIZE;
  }

  get storedCrc(): number {
    return this.raw.readUInt32LE(BLOB_CRC_OFFSET);
  }

  computeCrc(): number {
    return crc32(this.raw.subarray(this.headerSize));
  }

  verifyCrc(): void {
    const stored = this.storedCrc;
    const computed = this.computeCrc();
    if (stored !== computed) {
      throw corrupt(this.what, `crc mismatch (stored ${hex32(stored)}, computed ${hex32(computed)})`);
    }
  }

  /** Recomputes the CRC in place: the server does not trust a client's CRC on chunks. */
  updateCrc(): void {
    this.raw.writeUInt32LE(this.computeCrc(), BLOB_CRC_OFFSET);
  }

  /**
   * The plaintext. Uncompressed, unencrypted data is returned as a view into `raw`.
   * CORRUPT_DATA for undecodable payloads or a digest mismatch; INVALID_ARGUMENT when an
   * encrypted blob comes without a key.
   */
  decode(opts: DecodeBlobOptions = {}): Buffer {
    const data = this.isEncrypted
      ? this.decrypt(opts.crypt)
      : this.unpack(this.raw.subarray(BLOB_HEADER_SIZE));
    if (opts.digest !== undefined) {
      const computed = this.isEncrypted && opts.crypt ? opts.crypt.computeDigest(data) : sha256Digest(data);
      if (computed !== opts.digest) {
        throw corrupt(this.what, `wrong digest (expected ${opts.digest}, computed ${computed})`);
      }
    }
    return data;
  }

  /** verify_unencrypted: digest and length of a plain chunk; encrypted chunks pass unchecked. */
  verifyUnencrypted(expectedSize: number, digest: Digest): void {
    if (this.isEncrypted) return;
    const data = this.decode({ digest });
    if (data.length !== expectedSize) {
      throw corrupt(this.what, `wrong length (expected ${expectedSize}, got ${data.length})`);
    }
  }

  private unpack(payload: Buffer): Buffer {
    if (!this.isCompressed) return payload;
    try {
      return decompressBounded(payload, MAX_BLOB_SIZE);
    } catch (err) {
      throw corrupt(this.what, `zstd decode failed: ${(err as Error).message}`, err);
    }
  }

  private decrypt(crypt: CryptConfig | undefined): Buffer {
    if (!crypt) throw new AppError('INVALID_ARGUMENT', `${this.what}: encrypted, but no key was given`);
    const iv = this.raw.subarray(BLOB_IV_OFFSET, BLOB_IV_OFFSET + IV_SIZE);
    const tag = this.raw.subarray(BLOB_TAG_OFFSET, BLOB_TAG_OFFSET + TAG_SIZE);
    let plain: Buffer;
    try {
      plain = crypt.decrypt(this.raw.subarray(ENCRYPTED_BLOB_HEADER_SIZE), iv, tag);
    } catch (err) {
      throw corrupt(this.what, (err as Error).message, err);
    }
    return this.unpack(plain);
  }
}
