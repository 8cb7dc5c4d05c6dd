/**
 * @pbs/storage: the port through which the datastore engine stores everything.
 *
 * Concept: a `StorageBackend` holds one datastore in two namespaces that mirror PBS's S3 key
 * layout: chunk files by name (`<digest>`, `<digest>.<n>.bad`, `<digest>.using`, kept in
 * `.chunks/<pppp>/`) and content files by relative path (`vm/100/owner`, snapshot files,
 * `.gc-status`, namespace dirs). Implementations declare what they can promise in
 * `capabilities` (atomic replace, consistent listing, access times, cheap rename, local), and
 * the engine adapts instead of assuming POSIX. `LocalFsBackend` is the filesystem datastore; an
 * S3 backend with a local cache (pbs-formats §11) implements the same port: content under
 * `<store>/.cnt/`, chunks under `<store>/.chunks/`, datastore-local state (`isLocalStateFile`)
 * and GC marks (atimes of cache files) in the cache directory `localBase`.
 *
 * Invariants:
 * - Every write is atomic: temp file in the target directory, optional fsync, rename. A crash
 *   never leaves partial data under a final name; stray temp files (`*.tmp_XXXXXX`,
 *   `*.tmp_fidx`) are ignored by chunk listings.
 * - Names and paths are validated before anything is touched; no path escapes the datastore.
 * - Native errors are translated at this boundary into AppErrors (ENOENT → NOT_FOUND, EEXIST →
 *   ALREADY_EXISTS, medium trouble → BACKEND_UNAVAILABLE, the rest INTERNAL).
 * - Mark times (atimes) and new-file times come from the backend's clock.
 *
 * Locking: none inside the port. Callers serialise per chunk (the chunk store's per-digest
 * mutex) and per snapshot (lock files under `localBase` or the run directory). The contract
 * suite `describeStorageBackendContract` in `@pbs/storage/testing` pins all of the above for
 * every implementation.
 */
export type {
  StorageBackend,
  StorageCapabilities,
  ChunkFileKind,
  ChunkFileStat,
  ChunkFileEntry,
  ContentKind,
  ContentStat,
  ContentEntry,
  ContentFileWriter,
  InitChunkStoreOptions,
  ReadChunkOptions,
  WriteChunkOptions,
  WriteFileOptions,
  CreateDirOptions,
  ListChunkFilesOptions,
} from './storage-backend.js';
export {
  CHUNK_DIR,
  LOCK_FILE,
  CHUNK_PREFIX_COUNT,
  MAX_BAD_INDEX,
  USING_MARKER_EXT,
  parseChunkFileName,
  isDigestHex,
  chunkPrefixOf,
  prefixDirName,
  badChunkFileName,
  usingMarkerFileName,
  type ParsedChunkFileName,
} from './chunk-names.js';
export { contentPathComponents, isLocalStateFile, isNamespaceDir } from './content-path.js';
export { LocalFsBackend, type LocalFsBackendOptions, type SyncLevel } from './local-fs-backend.js';
export {
  S3_PROVIDER_QUIRKS,
  S3_DEFAULT_REGION,
  checkBucketName,
  normalizeFingerprint,
  parseHumanByte,
  resolveAuthority,
  type S3EndpointOptions,
  type S3ProviderQuirk,
} from './s3/s3-config.js';
export { S3Client, type S3ClientOptions, type S3ObjectInfo, type S3BucketInfo } from './s3/s3-client.js';
export { S3RequestCounters, S3_COUNTED_METHODS, type S3CounterSnapshot } from './s3/s3-counters.js';
export { CertificateMismatchError, isTransientS3Error, toS3AppError } from './s3/s3-errors.js';
export type { RetryOptions, Sleep } from './s3/s3-limits.js';
export { TokenBucket, type Clock } from './s3/token-bucket.js';
export { S3Backend, isS3Backend, type S3BackendOptions } from './s3/s3-backend.js';
export type { ChunkObject } from './s3/s3-chunk-listing.js';
export { S3KeyLayout, S3_CONTENT_PREFIX, S3_IN_USE_MARKER, S3_NAMESPACE_MARKER } from './s3/s3-keys.js';
