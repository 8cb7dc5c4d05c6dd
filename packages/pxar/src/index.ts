/**
 * @pbs/pxar: the pxar archive format of Proxmox Backup Server — encoder and decoder for format v1
 * (one `.pxar` stream) and v2 (split into `.mpxar` metadata and `.ppxar` payload streams), random
 * access through goodbye tables, the `.pcat1` catalog, and the filesystem side: encoding a
 * directory tree with the PBS client's rules and restoring an archive with all its metadata.
 *
 * Concept: an archive is a depth-first sequence of items (16-byte header: type, full size). A
 * directory is ENTRY (stat) + metadata items + its children (FILENAME + entry each) + a GOODBYE
 * table: the children's name hashes (SipHash-2-4, fixed keys), offsets and sizes in
 * binary-search-tree order, ending in a tail that points back to the directory's ENTRY. Regular
 * files carry PAYLOAD (v1) or PAYLOAD_REF into the payload stream (v2, which starts and ends
 * with marker headers). The catalog lists every archived entry by directory for file browsing.
 * With `metadata` change detection, files unchanged since the previous split archive are not
 * read: their payload references whole chunks of the previous payload stream, injected into the
 * new one (fs/payload-reuse.ts; at most 10 % padding per run of files, as PBS).
 *
 * Invariants:
 * - Byte-compatible with pxar 1.0 and the PBS client: for the same tree and metadata our encoder
 *   writes the reference bytes (tree.pxar, tree.mpxar/ppxar, catalog.pcat1 are byte-exact
 *   tests), including pxar's quirks (see encoder/encoder.ts).
 * - Streaming everywhere: encoders write to sinks (functions receiving Buffers, awaited for
 *   backpressure, e.g. a chunker), decoders read async iterables of Buffers; memory is bounded by
 *   an item plus per open directory one record per child. Nothing holds a whole archive.
 * - Every decoding failure is AppError CORRUPT_DATA naming the archive and the problem; encoder
 *   and API misuse is INVALID_ARGUMENT. The sequential decoder also verifies every goodbye table.
 * - Restores never drop metadata silently: whatever cannot be set is a RestoreProblem in the
 *   result (and `failFast` makes it an error).
 * - The filesystem side needs @pbs/native (xattrs, ACLs, mknod, nanosecond times, chattr); the
 *   format side does not load it.
 */
export * from './format/constants.js';
export {
  aclIsEmpty,
  emptyAcl,
  makeMetadata,
  type Acl,
  type AclDefault,
  type AclEntry,
  type Device,
  type Entry,
  type EntryKind,
  type Metadata,
  type Stat,
  type Timestamp,
  type XAttr,
} from './format/types.js';
export { hashFilename, sipHash24 } from './format/siphash.js';
export { PxarEncoder, type EncoderOptions, type LinkOffset, type Sink } from './encoder/encoder.js';
export { PxarDecoder, type ByteSource, type DecoderOptions } from './decoder/decoder.js';
export {
  PxarAccessor,
  PxarDirEntry,
  PxarDirectory,
  PxarFileEntry,
  type AccessorOptions,
  type ReadAt,
} from './accessor/accessor.js';
export {
  CatalogWriter,
  PROXMOX_CATALOG_FILE_MAGIC_1_0,
  type BackupCatalogWriter,
  type CatalogEntryType,
} from './catalog/writer.js';
export { CatalogReader, type CatalogEntry } from './catalog/reader.js';
export {
  ENCODER_MAX_ENTRIES,
  encodeDirectory,
  type EncodeDirectoryOptions,
  type EncodeDirectoryResult,
  type WalkStats,
  type WalkWarning,
} from './fs/encode-directory.js';
export {
  extractArchive,
  type ExtractOptions,
  type ExtractResult,
  type RestoreFeatures,
  type RestoreProblem,
} from './fs/extract.js';
export { MatchEntry, MatchFlag, matchList, type MatchType } from './fs/match-list.js';
export { Pattern, PatternError } from './fs/pattern.js';
export {
  generatePxarExcludesCli,
  normalizeLexically,
  parseExcludeArg,
  parsePxarExclude,
} from './fs/excludes.js';
export { ALL_FEATURES, type MetadataFeatures } from './fs/read-metadata.js';
export {
  CHUNK_PADDING_THRESHOLD,
  PayloadReuser,
  PreviousMetadataArchive,
  chunksCovering,
  sameMetadata,
  type PayloadRange,
  type PayloadReuse,
  type PreviousPayloadIndex,
  type ReusableChunk,
  type ReuseStats,
} from './fs/payload-reuse.js';
export {
  XATTR_ACL_ACCESS,
  XATTR_ACL_DEFAULT,
  buildPosixAcl,
  parseAclText,
  parsePosixAcl,
  posixAclsFor,
  type PosixAclEntry,
} from './fs/posix-acl.js';
