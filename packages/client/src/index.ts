/**
 * @pbs/client: the backup client of a PBS-compatible server — library and the `pbs-client` CLI.
 *
 * Concept: the client cuts data into chunks (buzhash dynamic chunks for archives, fixed 4 MiB
 * chunks for images), digests, compresses and optionally encrypts them, and sends them through
 * the backup protocol (HTTP/1.1 upgrade, then HTTP/2) together with the indexes, blobs and the
 * manifest; it reads them back through the reader protocol. Formats come from @pbs/datastore
 * (DataBlob, indexes, manifest, key files), archives from @pbs/pxar.
 *
 * Invariants:
 * - Chunk boundaries are exactly the reference chunker's for the same input (vector tested).
 * - A chunk is referenced in an index only after the server knows it in this session (uploaded,
 *   or registered from the previous snapshot's index); appends keep the archive's order.
 * - Nothing leaves the client before the server certificate passed PBS's rule (trusted CA, or the
 *   pinned/confirmed SHA-256 fingerprint); a snapshot exists only after `finish`.
 * - Everything downloaded is verified (manifest signature with a key, index csums and sizes
 *   against the manifest, chunk CRC and digest); restores stream chunk by chunk.
 * - The library never reads process.env or argv and never prints; src/cli is the composition root.
 */
export * from './chunker/buzhash-chunker.js';
export { DynamicChunker, dynamicChunks } from './chunker/chunk-stream.js';
export { FIXED_CHUNK_SIZE, isAllZero, fileFixedChunks, streamFixedChunks } from './chunker/fixed-chunks.js';
export {
  BackupRepository,
  resolveRepository,
  DEFAULT_PORT,
  DEFAULT_AUTH_ID,
  type RepositoryArgs,
  type RepositoryParts,
} from './repo/repository.js';
export {
  parseBackupSpec,
  serverArchiveName,
  parseGroupOrSnapshot,
  parseSnapshot,
  parseGroup,
  type BackupSpec,
  type SourceKind,
  type GroupOrSnapshot,
} from './repo/names.js';
export { HttpClient, type HttpClientOptions } from './http/http-client.js';
export { H2Session, type Query } from './http/h2-session.js';
export { CredentialCache, TICKET_LIFETIME } from './http/credential-cache.js';
export { connectVerified, normalizeCertFingerprint, type TlsTrust } from './http/tls-connect.js';
export type { AuthInfo } from './http/auth.js';
export {
  resolveCryptoParams,
  unlockKey,
  describeKeySource,
  type CryptoParams,
  type KeySource,
  type KeyWithSource,
  type UnlockedCrypt,
} from './keys/crypto-params.js';
export {
  createKeyFile,
  changeKeyPassphrase,
  readKeyFile,
  keyInfo,
  type Kdf,
  type KeyInfo,
} from './keys/key-files.js';
export {
  BackupWriter,
  BACKUP_PROTOCOL,
  type BackupWriterOptions,
  type BlobStats,
} from './backup/backup-writer.js';
export { ChunkEncoder } from './backup/chunk-encoder.js';
export {
  IndexUpload,
  uploadStream,
  type IndexKind,
  type UploadStreamOptions,
} from './backup/upload-stream.js';
export type { UploadStats } from './backup/upload-stats.js';
export {
  runBackup,
  describeUpload,
  type RunBackupOptions,
  type BackupResult,
  type ChangeDetectionMode,
  type DirectoryArchiver,
  type DirectoryArchiveContext,
  type ArchiveResult,
  type ArchiveProgress,
} from './backup/run-backup.js';
export { BackupReader, READER_PROTOCOL } from './reader/backup-reader.js';
export { readChunks, type ChunkData, type ChunkReaderOptions } from './reader/chunk-reader.js';
export { decodeChunk } from './codec/decode-chunk.js';
export { CodecPool, type CodecPoolOptions } from './codec/codec-pool.js';
export { restoreIndexToFile, restoreIndexToStream } from './reader/restore-image.js';
export {
  runRestore,
  pxarArchiveNames,
  type RunRestoreOptions,
  type RestoreResult,
  type DirectoryExtractor,
  type DirectoryExtractContext,
} from './reader/run-restore.js';
export { DatastoreApi, type SnapshotListItem, type GroupListItem } from './admin/datastore-api.js';
export {
  emptyBenchmark,
  measureLocalSpeeds,
  uploadSpeedtest,
  type BenchmarkResult,
} from './admin/benchmark.js';
