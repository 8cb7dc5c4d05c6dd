/**
 * @pbs/pxar/testing: helpers for tests here and in the integration suites — the reference vector
 * tree (load tree.json, build it on disk, its pxar metadata), stream-A, reference-style listings
 * of decoded archives, and comparable snapshots of directory trees for restore checks.
 */
export {
  PXAR_TESTDATA_DIR,
  buildVectorTree,
  loadVectorTree,
  vectorContent,
  vectorMetadata,
  type BuildResult,
  type VectorEntry,
  type VectorEntryType,
  type VectorTree,
} from './vector-tree.js';
export { streamA } from './stream-a.js';
export { listArchive, listingRecord, type ListingRecord } from './listing.js';
export { snapshotTree, type SnapshotEntry } from './tree-snapshot.js';
