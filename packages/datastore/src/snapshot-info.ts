import type { DatastoreCore } from './datastore-core.js';
import { formatFingerprint } from './fingerprint.js';
import { snapshotDir, type BackupGroupRef, type SnapshotRef } from './hierarchy/backup-ref.js';
import { readSnapshotEntry, type SnapshotEntry } from './hierarchy/listing.js';
import { formatNamespace, type NamespacePath } from './hierarchy/namespace.js';
import { manifestFingerprint } from './manifest-signature.js';
import { MANIFEST_BLOB_NAME, type BackupManifest } from './manifest.js';
import type { CryptMode } from './names.js';
import type { CachedManifest } from './manifest-cache.js';
import { loadManifest } from './snapshot-files.js';

/*
 * The snapshot list item (PBS SnapshotListItem, backup_info_to_snapshot_list_item), camelCase.
 * PBS mapping: backup-type/-id/-time → type/id/time; comment = first line of manifest notes;
 * verification = unprotected.verify_state; fingerprint = unprotected.key-fingerprint (full
 * colon hex); files[].crypt-mode → cryptMode; size = sum of file sizes, null while unfinished;
 * owner; protected. Added: ns, finished, and cryptMode (the archives' common mode or 'mixed').
 */

export interface ArchiveFileInfo {
  filename: string;
  /** from the manifest; null for files the manifest does not list */
  size: number | null;
  cryptMode?: CryptMode;
}

export interface SnapshotVerification {
  upid: string;
  state: 'ok' | 'failed';
}

export interface SnapshotInfo extends SnapshotRef {
  ns: NamespacePath;
  comment?: string;
  verification?: SnapshotVerification;
  fingerprint?: string;
  files: ArchiveFileInfo[];
  /** null while unfinished (no manifest) or when the manifest cannot be read */
  size: number | null;
  owner: string | null;
  protected: boolean;
  finished: boolean;
  cryptMode: CryptMode | 'mixed';
}

/** Rust's `str::lines().next()`: undefined for '', else the text before the first line break */
export function firstLine(text: string): string | undefined {
  if (text === '') return undefined;
  const line = text.split('\n', 1)[0] ?? '';
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** unprotected.verify_state, if it has the shape verify writes */
export function verificationOf(manifest: BackupManifest): SnapshotVerification | undefined {
  const value = manifest.unprotected.verify_state;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { upid, state } = value;
  if (typeof upid !== 'string' || (state !== 'ok' && state !== 'failed')) return undefined;
  return { upid, state };
}

function fingerprintOf(manifest: BackupManifest): string | undefined {
  try {
    const fp = manifestFingerprint(manifest);
    return fp && formatFingerprint(fp);
  } catch {
    return undefined; // PBS logs and lists the snapshot without a fingerprint
  }
}

function summaryCryptMode(manifest: BackupManifest): CryptMode | 'mixed' {
  const modes = new Set(manifest.files.map((f) => f.cryptMode));
  if (modes.size === 0) return 'none';
  return modes.size === 1 ? ([...modes][0] as CryptMode) : 'mixed';
}

function filesOf(manifest: BackupManifest, rawSize: number, onDisk: readonly string[]): ArchiveFileInfo[] {
  const files: ArchiveFileInfo[] = manifest.files.map((f) => ({
    filename: f.filename,
    size: f.size,
    cryptMode: f.cryptMode,
  }));
  files.push({
    filename: MANIFEST_BLOB_NAME,
    size: rawSize,
    cryptMode: manifest.signature === null ? 'none' : 'sign-only',
  });
  const listed = new Set(files.map((f) => f.filename));
  for (const name of onDisk) if (!listed.has(name)) files.push({ filename: name, size: null });
  return files;
}

async function cachedManifest(
  core: DatastoreCore,
  ns: readonly string[],
  snap: SnapshotRef,
): Promise<CachedManifest | undefined> {
  const cache = core.manifestCache;
  const path = `${snapshotDir(ns, snap)}/${MANIFEST_BLOB_NAME}`;
  const stat = cache && (await core.backend.statFile(path).catch(() => undefined));
  const hit = stat && cache?.get(path, stat);
  if (hit) return hit;
  const loaded = await loadManifest(core, ns, snap).catch(() => undefined);
  if (loaded === undefined) return undefined;
  const value = { manifest: loaded.manifest, rawLength: loaded.raw.length };
  if (cache && stat) cache.set(path, stat, value);
  return value;
}

export async function buildSnapshotInfo(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
  entry: SnapshotEntry,
  owner: string | null,
): Promise<SnapshotInfo> {
  const snap: SnapshotRef = { type: group.type, id: group.id, time: entry.time };
  const base = {
    ...snap,
    ns: formatNamespace(ns),
    owner,
    protected: entry.protected,
    finished: entry.finished,
  };
  if (entry.finished) {
    const loaded = await cachedManifest(core, ns, snap);
    if (loaded) {
      const { manifest, rawLength } = loaded;
      const files = filesOf(manifest, rawLength, entry.files);
      const notes = manifest.unprotected.notes;
      return {
        ...base,
        comment: typeof notes === 'string' ? firstLine(notes) : undefined,
        verification: verificationOf(manifest),
        fingerprint: fingerprintOf(manifest),
        files,
        size: files.reduce((sum, f) => sum + (f.size ?? 0), 0),
        cryptMode: summaryCryptMode(manifest),
      };
    }
  }
  // no manifest (running or crashed backup) or an unreadable one: the files, nothing else
  return {
    ...base,
    files: entry.files.map((filename) => ({ filename, size: null })),
    size: null,
    cryptMode: 'none',
  };
}

export async function readSnapshotInfo(
  core: DatastoreCore,
  ns: readonly string[],
  snap: SnapshotRef,
  owner: string | null,
): Promise<SnapshotInfo> {
  const entry = await readSnapshotEntry(core, snapshotDir(ns, snap), snap.time);
  return buildSnapshotInfo(core, ns, snap, entry, owner);
}
