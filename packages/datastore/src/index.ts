/**
 * @pbs/datastore: the PBS on-disk formats and the chunk store of a datastore.
 *
 * Concept: everything a datastore holds is one of these PBS formats, byte-compatible in both
 * directions (pbs-formats §1–4): DataBlobs (chunks and `*.blob`: magic, CRC32, optional zstd,
 * optional AES-256-GCM), fixed and dynamic chunk indexes (`*.fidx`, `*.didx`), the manifest
 * `index.json.blob` (pretty JSON, HMAC signature over canonical JSON), key files, and the
 * content-addressed chunk store `.chunks/<pppp>/<digest>`. All bytes go through a
 * `StorageBackend` from `@pbs/storage`, so the same code runs on a local filesystem or on S3
 * with a local cache.
 *
 * Invariants:
 * - Magic numbers, header layouts and digest rules are copied from PBS and never change
 *   (file-formats.ts). Writers reproduce the golden vectors byte for byte where the format is
 *   deterministic; readers reject anything PBS would reject.
 * - Every decoder failure is AppError CORRUPT_DATA whose message names the object and the fault
 *   ("blob 'index.json.blob': crc mismatch (stored 0x…, computed 0x…)").
 * - A chunk file is named by its digest: sha256(plaintext), or sha256(plaintext || id_key) when
 *   encrypted. A chunk is never partially visible (atomic writes in the port).
 * - Index writers write `<stem>.tmp_fidx` / `<stem>.tmp_didx` and rename on close.
 * - No wall clock: callers pass creation times; the backend owns mark times (atimes).
 *
 * Locking: ChunkStore serialises insert, touch, mark, rename and sweep of the same digest with
 * an in-process per-digest mutex (PBS's chunk store mutex, at digest granularity), so a GC sweep
 * never removes a chunk that a concurrent insert has just found and touched. Cross-process
 * exclusion (the `.lock` file: shared for backups, exclusive for GC) and snapshot/manifest locks
 * belong to the layers above and are not taken here.
 */
export * from './file-formats.js';
export * from './names.js';
export {
  type Digest,
  DIGEST_SIZE,
  isDigest,
  parseDigest,
  digestFromBytes,
  digestToBytes,
  writeDigest,
  sha256Digest,
  shortDigest,
} from './digest.js';
export { formatFingerprint, parseFingerprint, shortFingerprint } from './fingerprint.js';
export {
  CryptConfig,
  FINGERPRINT_INPUT,
  KEY_SIZE,
  IV_SIZE,
  TAG_SIZE,
  aesGcmEncrypt,
  aesGcmDecrypt,
  type EncryptedData,
} from './crypt-config.js';
export {
  parseKeyConfig,
  serializeKeyConfig,
  epochToRfc3339Utc,
  type KeyConfig,
  type KeyDerivationConfig,
} from './key-config.js';
export {
  decryptKeyConfig,
  createKeyConfig,
  deriveKey,
  type UnlockedKey,
  type CreateKeyConfigOptions,
  type Passphrase,
} from './key-file.js';
export {
  DataBlob,
  blobKindOfMagic,
  type BlobKind,
  type EncodeBlobOptions,
  type DecodeBlobOptions,
} from './data-blob.js';
export { type IndexFile, type ChunkReadInfo, replaceExtension } from './index-file.js';
export { FixedIndexReader } from './fixed-index.js';
export { FixedIndexWriter, type FixedIndexWriterOptions } from './fixed-index-writer.js';
export { DynamicIndexReader } from './dynamic-index.js';
export { DynamicIndexWriter, type DynamicIndexWriterOptions } from './dynamic-index-writer.js';
export { toPrettyJson, toCanonicalJson, type JsonValue } from './json-format.js';
export {
  MANIFEST_BLOB_NAME,
  MANIFEST_LOCK_NAME,
  CLIENT_LOG_BLOB_NAME,
  parseManifest,
  formatManifest,
  signedManifestJson,
  lookupManifestFile,
  verifyManifestFile,
  chunkCryptModeOf,
  type BackupManifest,
  type ManifestFile,
} from './manifest.js';
export {
  computeManifestSignature,
  signManifest,
  verifyManifestSignature,
  manifestFingerprint,
  checkManifestFingerprint,
  decodeManifestBlob,
  encodeManifestBlob,
} from './manifest-signature.js';
export {
  ChunkStore,
  encodeZeroChunk,
  ZERO_CHUNK_DIGEST,
  ZERO_CHUNK_SIZE,
  type ChunkStoreOptions,
  type InsertChunkResult,
  type ChunkMark,
} from './chunk-store.js';
export { type SweepOptions, type SweepOutcome } from './chunk-sweep.js';
export { KeyedMutex } from './keyed-mutex.js';
