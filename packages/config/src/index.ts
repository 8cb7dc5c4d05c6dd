/**
 * @pbs/config: PBS-compatible config files.
 *
 * Concept: section-config files (`<type>: <id>` + TAB-indented `key value` lines) and property
 * strings, read and written byte-compatible with PBS; atomic replace-by-rename; flock-based
 * lock files; and ConfigFile, which ties them together with sha256 digests for optimistic
 * concurrency.
 *
 * Invariants:
 * - A file is only ever replaced whole (temp file, fsync, rename, fsync dir); readers never see
 *   a partial write.
 * - Parsing never rewrites anything: a corrupt file is reported (CORRUPT_DATA with file and
 *   line) and left as it is.
 * - Parsed data keeps section and property order, so an unchanged file formats to the same bytes.
 *
 * Locking: each config file has a lock file `<dir>/.<name>.lck` (flock, exclusive for writers).
 * ConfigFile.update takes it for read-check-mutate-write; plain reads take no lock because
 * writes are atomic. Waiters in one process queue in memory (FIFO, shared/exclusive) before they
 * compete for the flock with other processes.
 */
export {
  SectionConfigData,
  sectionProperty,
  sectionProperties,
  type Section,
} from './section-config-data.js';
export { parseSectionConfig, formatSectionConfig } from './section-config.js';
export { parsePropertyString, formatPropertyString } from './property-string.js';
export { replaceFileAtomic, replaceFileAtomicSync, type ReplaceFileOptions } from './atomic-file.js';
export { withFileLock, FileLock, type FileLockOptions } from './file-lock.js';
export { digestOf } from './digest.js';
export {
  ConfigFile,
  sectionConfigCodec,
  type ConfigCodec,
  type ConfigSnapshot,
  type ConfigFileOptions,
} from './config-file.js';
