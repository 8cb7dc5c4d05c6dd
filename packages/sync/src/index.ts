/**
 * @pbs/sync: pull and push between PBS-compatible datastores (pbs-formats §13).
 *
 * Concept: a pull copies snapshots from a source — a remote server (REST listing + reader
 * protocol) or another local datastore — into a local datastore through the datastore's backup
 * writer; a push copies local snapshots to a remote through the backup protocol. Namespaces below
 * the source namespace map to the same relative paths below the target namespace (max-depth),
 * groups pass the job's group filters, snapshots the selection rules (transfer-last,
 * verified-only, encrypted-only, resync-corrupt). Transfers go through a token-bucket limiter.
 *
 * Invariants:
 * - Bytes are copied as stored: manifests, indexes, blobs and encoded chunks are not re-encoded
 *   (pull keeps the source manifest, so its verify state and notes come along).
 * - Only chunks the target lacks are transferred: a pull asks its target chunk store per digest
 *   (so chunks are deduplicated across groups and runs); a push seeds its session with the
 *   remote's previous snapshot's indexes and the chunks it uploaded earlier in the session.
 * - A snapshot appears on the target only when complete (the writer's finish writes the manifest
 *   last; a push is invisible until /finish); an interrupted run leaves nothing partial, and the
 *   next run transfers that snapshot again.
 * - Unencrypted source chunks are verified against their digest before insert; a corrupt one fails
 *   its snapshot (reported), it is never stored.
 * - Remote connections pin the configured certificate fingerprint before sending credentials.
 *
 * Locking: the target group's backup lock while a snapshot is written (pull), the source
 * snapshot's shared lock while it is read (reader session / local reader). No global lock: two
 * syncs into the same group meet at the group lock (BUSY) and one fails that group.
 */
export { type SyncContext, type SyncStats, emptyStats, formatBytes } from './context.js';
export { compileGroupFilter, groupFilterPredicate, type CompiledFilter } from './group-filter.js';
export { checkSyncDepth, mapNamespace, isUnderNs, joinNs, nsDepth } from './namespace-map.js';
export {
  selectSnapshots,
  isFullyEncrypted,
  type SourceSnapshotInfo,
  type SelectionOptions,
  type Selection,
} from './snapshot-selection.js';
export {
  createByteLimiter,
  unlimited,
  realSleep,
  type ByteLimiter,
  type RateLimitOptions,
  type Sleep,
} from './rate-limit.js';
export {
  connectRemote,
  withRemote,
  remoteError,
  testRemote,
  fetchPeerCertificate,
  DEFAULT_REMOTE_PORT,
  type RemoteEndpoint,
  type RemoteVersion,
  type PeerCertificate,
} from './remote-connection.js';
export {
  RemoteSource,
  LocalSource,
  type SyncSource,
  type SnapshotSource,
  type SourceGroup,
  type SourceSnapshot,
} from './sources.js';
export { pull, type PullOptions } from './pull.js';
export { push, type PushOptions } from './push.js';
