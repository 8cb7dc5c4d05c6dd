import { DataBlob, encodeZeroChunk, sha256Digest, ZERO_CHUNK_DIGEST, ZERO_CHUNK_SIZE } from '@pbs/datastore';
import type { Digest, CryptConfig } from '@pbs/datastore';

/*
 * Chunk digests and DataBlobs as the PBS client builds them (DataChunkBuilder): the digest is
 * sha256(data), or sha256(data || id_key) when encrypting; the blob is zstd level 1 (kept only
 * if smaller), then AES-256-GCM when encrypting. The 4 MiB zero chunk is digested and encoded
 * once per key and reused (image backups are often mostly zeros).
 */

export class ChunkEncoder {
  private zero: { digest: Digest; blob: DataBlob } | undefined;

  constructor(
    /** encrypt chunks with this key (crypt mode `encrypt`); none for `none` and `sign-only` */
    readonly crypt: CryptConfig | undefined,
    readonly compress = true,
  ) {}

  digest(data: Uint8Array): Digest {
    return this.crypt ? this.crypt.computeDigest(data) : sha256Digest(data);
  }

  encode(data: Uint8Array, digest: Digest): DataBlob {
    return DataBlob.encode(data, {
      ...(this.crypt && { crypt: this.crypt }),
      compress: this.compress,
      what: `chunk ${digest}`,
    });
  }

  /** The 4 MiB all-zero chunk under this encoder's key. */
  zeroChunk(): { digest: Digest; blob: DataBlob } {
    if (!this.zero) {
      if (!this.crypt && this.compress) this.zero = { digest: ZERO_CHUNK_DIGEST, blob: encodeZeroChunk() };
      else {
        const data = Buffer.alloc(ZERO_CHUNK_SIZE);
        const digest = this.digest(data);
        this.zero = { digest, blob: this.encode(data, digest) };
      }
    }
    return this.zero;
  }
}
