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
 * S3 (pbs-formats §11): `S3Client` wraps @aws-sdk/client-s3 for one endpoint (an s3.cfg entry,
 * `S3EndpointOptions`) and bucket: HTTPS only, certificate pinning by fingerprint, PBS's
 * retries (3 attempts, 1 s × 3^n) on 5xx, throttling, timeouts and broken connections,
 * token-bucket limits (put-rate-limit, rate/burst in and out), request and traffic counters per
 * method (`S3RequestCounters`, snapshot/restore for the server to persist), errors classified
 * into AppErrors naming endpoint, bucket and key. `S3Backend` is the port on a bucket:
 * `<store>/.chunks/<pppp>/<digest>`, `<store>/.cnt/<path>`, `.namespace` markers,
 * `<store>/.in-use`; its cache datastore (`localBase`) serves every content read, keeps chunk
 * copies in an LRU that evicts to zero-length markers (the GC marks), and `.using` markers.
 * Invariant: whatever the cache shows is in the bucket (uploads before cache writes, cache
 * removals before deletes). Capabilities: not atomic across the two, consistent listing,
 * access times via the cache, no cheap rename, not local; a store that is not local decides
 * chunk duplicates in `writeChunk` (cache file or marker, else a conditional PUT).
 *
 * Locking: none inside the port. Callers serialise per chunk (the chunk store's per-digest
 * mutex) and per snapshot (lock files under `localBase` or the run directory); the S3 backend
 * only serialises a cache file's content against its eviction. The contract suite
 * `describeStorageBackendContract` in `@pbs/storage/testing` pins all of the above for every
 * implementation (LocalFsBackend and S3Backend); the same entry point starts a real
 * S3-protocol server for tests (`startS3Server`) and a fault-injecting proxy.
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
export {
  S3Backend,
  isS3Backend,
  type S3BackendOptions,
  type S3DatastoreBackendConfig,
} from './s3/s3-backend.js';
export type { ChunkObject } from './s3/s3-chunk-listing.js';
export { S3KeyLayout, S3_CONTENT_PREFIX, S3_IN_USE_MARKER, S3_NAMESPACE_MARKER } from './s3/s3-keys.js';
