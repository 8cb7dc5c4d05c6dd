/**
 * @pbs/datastore: a PBS datastore — its on-disk formats, chunk store, backup hierarchy, backup
 * writer, prune, garbage collection and verify, compatible with Proxmox Backup Server.
 *
 * Concept: everything a datastore holds is one of the PBS formats, byte-compatible in both
 * directions (pbs-formats §1–4): DataBlobs (chunks and `*.blob`), fixed and dynamic chunk
 * indexes, the manifest `index.json.blob`, key files, and the content-addressed chunk store
 * `.chunks/<pppp>/<digest>`. Above the formats sits the hierarchy `[ns/<a>/ns/<b>/]<type>/<id>/
 * <time>/` (namespaces, groups with `owner` and `notes`, snapshots with `.protected`), opened as
 * a `Datastore`. Backups enter through `BackupWriter`; `computePruneMarks`/`planPrune`/
 * `executePrune`, `runGarbageCollection` and `runVerify` are PBS's prune, GC and verify. All bytes
 * go through a `StorageBackend` from `@pbs/storage`.
 *
 * Invariants:
 * - Magic numbers, header layouts, digest rules, path grammars and the prune/GC/verify rules are
 *   PBS's and never change; names from outside are validated against the PBS grammars before
 *   they become paths, so nothing can leave the datastore or its lock directory.
 * - Every decoder failure is CORRUPT_DATA naming the object; bad input is INVALID_ARGUMENT;
 *   missing objects NOT_FOUND; held locks BUSY; owner mismatches PERMISSION_DENIED.
 * - Files appear atomically. A snapshot is finished exactly when its index.json.blob exists: the
 *   backup writer writes it last, removal deletes it first. A crash leaves at most unfinished
 *   snapshots, which listings show (size null) and prune handles (§7).
 * - GC never removes a chunk a finished or running backup may reference: phase 1 marks every
 *   index (and the move journal), the cutoff honours the oldest running writer, and the sweep
 *   re-checks each chunk under its digest lock, so chunks inserted during GC stay.
 * - No wall clock: the injected clock (milliseconds) dates backups, writers and GC; it must be the
 *   clock the storage backend stamps atimes with.
 *
 * On S3 (pbs-formats §11, an `S3Backend`): the engine runs unchanged on the port, except where
 * an object store differs: chunk duplicates are the backend's decision (no stat-and-compare),
 * backups may skip the cache (`noCache`), GC phase 1 leaves `.using` markers for referenced
 * chunks the cache lacks, phase 2 sweeps the bucket listing with per-digest try-locks and
 * batched deletes, phase 3 the cache; verify reads the bucket. `createS3Datastore` applies the
 * in-use marker and reuse rules (the cache is always emptied), `s3Refresh` rebuilds the cache's
 * metadata from the bucket, `destroyS3Datastore` deletes the objects or just the marker.
 *
 * Locking (PBS §1.6): `<base>/.lock` — shared per process while backups run, exclusive during GC
 * (flock with a guard file for conversion; see process-locker.ts). Under `lockDir`, flock files
 * named like PBS's: group (exclusive, non-blocking: backups, removal, move, notes), snapshot
 * (exclusive: backup, removal, protection, move; shared: verify, a backup's base snapshot),
 * manifest `….index.json.lck` (exclusive, 5 s: manifest updates, removal), `.move-journal`, and
 * `.gc-guard`. In-process: one GC per datastore, and the chunk store's per-digest mutex.
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
export { createIndexReadAt, type ChunkLoader, type IndexReadAt } from './index-read-at.js';
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
  type InsertChunkOptions,
  type ChunkMark,
} from './chunk-store.js';
export { type SweepOptions, type SweepOutcome } from './chunk-sweep.js';
export { KeyedMutex } from './keyed-mutex.js';
export { type OperationContext, silentContext } from './operation-context.js';
export { Datastore, type DatastoreOptions } from './datastore.js';
export { DEFAULT_TUNING, type DatastoreTuning } from './datastore-core.js';
export type { BackupCounts, SnapshotPageOptions, TypeCounts } from './datastore-listing.js';
export type { GroupInfo } from './group-info.js';
export type { SnapshotInfo, ArchiveFileInfo, SnapshotVerification } from './snapshot-info.js';
export type { NamespaceListItem, RemoveNamespaceResult } from './namespace-ops.js';
export type { MoveNamespaceOptions } from './namespace-move.js';
export type { MoveLog } from './group-move.js';
export type { RemoveGroupResult } from './snapshot-remove.js';
export { isBackupOwner, checkAuthId } from './group-meta.js';
export { parseNamespace, formatNamespace, namespaceDir, type NamespacePath } from './hierarchy/namespace.js';
export {
  snapshotDirName,
  parseSnapshotDirName,
  formatGroup,
  formatSnapshot,
  compareGroups,
  checkGroup,
  checkSnapshot,
  type BackupGroupRef,
  type SnapshotRef,
} from './hierarchy/backup-ref.js';
export { parseSnapshotPath, formatSnapshotPath } from './hierarchy/snapshot-path.js';
export { checkArchiveName, archiveKindOf, type ArchiveKind } from './hierarchy/archive-name.js';
export { escapeUnitPath, lockFilePath } from './locking/lock-path.js';
export type { BackupWriter } from './backup/backup-writer.js';
export { checkReadableFileName, type SnapshotReader } from './snapshot-reader.js';
export type { BeginBackupOptions } from './backup/begin-backup.js';
export type { ImportSnapshotOptions } from './backup/import-snapshot.js';
export { MAX_CHUNK_SIZE, MAX_ENCODED_SIZE } from './backup/upload-checks.js';
export {
  computePruneMarks,
  keepsSomething,
  type KeepOptions,
  type PruneCandidate,
  type ComputedMark,
  type PruneMarkKind,
} from './prune/prune-marks.js';
export { isoWeek, periodId, type PruneRule, type PruneTimeZone } from './prune/prune-period.js';
export {
  planPrune,
  planPruneNamespace,
  type PruneMark,
  type GroupPrunePlan,
  type PlanOptions,
} from './prune/prune-plan.js';
export { executePrune, type PruneResult } from './prune/prune-execute.js';
export { runGarbageCollection } from './gc/gc-run.js';
export { type GcStatus, GC_STATUS_FILE, formatGcStatus, parseGcStatus } from './gc/gc-status.js';
export { formatHumanByte } from './gc/human-format.js';
export { runVerify, type VerifyOptions, type VerifyResult } from './verify/verify-run.js';
export {
  createS3Datastore,
  destroyS3Datastore,
  refuseIfInUse,
  hasS3DatastoreObjects,
  dropLocalCache,
  type CreateS3DatastoreOptions,
} from './s3/s3-datastore.js';
export { s3Refresh, requireS3Backend, type S3RefreshResult } from './s3/s3-refresh.js';
