/*
 * Which source snapshots of a group a sync transfers (server/pull.rs pull_group, sync.rs
 * exclude_not_verified_or_encrypted), in time order:
 * - unfinished source snapshots (size null) are skipped;
 * - verified-only drops snapshots whose verification is not `ok`; encrypted-only drops those
 *   with any file not encrypted (the manifest may be sign-only, the client log anything);
 * - with resync-corrupt, a snapshot whose local copy failed verification (or whose manifest is
 *   unreadable) is always taken, to be replaced;
 * - snapshots older than the target's last finished one are already synced; the one with the
 *   same time is always taken again (late client log, verify state);
 * - transfer-last N keeps only the newest N of what is left of the list (the last synced one
 *   excepted).
 */

export interface SourceSnapshotInfo {
  readonly time: number;
  /** null: the backup is still running on the source */
  readonly size: number | null;
  readonly verification?: { readonly state: string } | undefined;
  readonly files: readonly { readonly filename: string; readonly cryptMode?: string | undefined }[];
}

export interface SelectionOptions {
  /** newest finished snapshot time on the target, if any */
  readonly lastTargetTime?: number | undefined;
  readonly transferLast?: number | undefined;
  readonly verifiedOnly?: boolean | undefined;
  readonly encryptedOnly?: boolean | undefined;
  readonly resyncCorrupt?: boolean | undefined;
  /** times of target snapshots that failed verification or cannot be read */
  readonly corruptOnTarget?: ReadonlySet<number>;
}

export interface SelectedSnapshot {
  readonly time: number;
  /** replaces a corrupt target copy */
  readonly resync: boolean;
}

export interface Selection {
  readonly selected: SelectedSnapshot[];
  /** source times that count as present (for remove-vanished) */
  readonly sourceTimes: Set<number>;
  readonly skipped: {
    inProgress: number;
    notVerified: number;
    notEncrypted: number;
    alreadySynced: number;
    transferLast: number;
  };
}

export function isFullyEncrypted(snapshot: SourceSnapshotInfo): boolean {
  return snapshot.files.every((f) => {
    if (f.filename === 'index.json.blob') return f.cryptMode === undefined || f.cryptMode === 'sign-only';
    if (f.filename === 'client.log.blob') return true;
    return f.cryptMode === 'encrypt';
  });
}

export function selectSnapshots(source: readonly SourceSnapshotInfo[], opts: SelectionOptions): Selection {
  const skipped = { inProgress: 0, notVerified: 0, notEncrypted: 0, alreadySynced: 0, transferLast: 0 };
  const sourceTimes = new Set<number>();
  const candidates: SelectedSnapshot[] = [];
  for (const snap of [...source].sort((a, b) => a.time - b.time)) {
    if (snap.size === null) {
      skipped.inProgress++;
      continue;
    }
    if (opts.verifiedOnly === true && snap.verification?.state !== 'ok') {
      skipped.notVerified++;
      continue;
    }
    if (opts.encryptedOnly === true && !isFullyEncrypted(snap)) {
      skipped.notEncrypted++;
      continue;
    }
    sourceTimes.add(snap.time);
    const resync = opts.resyncCorrupt === true && (opts.corruptOnTarget?.has(snap.time) ?? false);
    candidates.push({ time: snap.time, resync });
  }
  const cutoff = opts.transferLast !== undefined ? Math.max(0, candidates.length - opts.transferLast) : 0;
  const last = opts.lastTargetTime;
  const selected = candidates.filter((snap, pos) => {
    if (snap.resync) return true;
    if (last !== undefined && snap.time < last) {
      skipped.alreadySynced++;
      return false;
    }
    if (pos < cutoff && snap.time !== last) {
      skipped.transferLast++;
      return false;
    }
    return true;
  });
  return { selected, sourceTimes, skipped };
}
