import { describe, expect, it } from 'vitest';
import { isFullyEncrypted, selectSnapshots, type SourceSnapshotInfo } from './snapshot-selection.js';

const plain = (time: number, extra: Partial<SourceSnapshotInfo> = {}): SourceSnapshotInfo => ({
  time,
  size: 100,
  files: [{ filename: 'index.json.blob' }, { filename: 'root.pxar.didx', cryptMode: 'none' }],
  ...extra,
});
const times = (sel: ReturnType<typeof selectSnapshots>) => sel.selected.map((s) => s.time);

describe('snapshot selection', () => {
  it('takes everything, in time order, on an empty target', () => {
    expect(times(selectSnapshots([plain(3), plain(1), plain(2)], {}))).toEqual([1, 2, 3]);
  });

  it('skips unfinished source snapshots', () => {
    const sel = selectSnapshots([plain(1), plain(2, { size: null })], {});
    expect(times(sel)).toEqual([1]);
    expect(sel.skipped.inProgress).toBe(1);
    expect(sel.sourceTimes.has(2)).toBe(false);
  });

  it('skips what is older than the last target snapshot and re-takes that one', () => {
    const sel = selectSnapshots(
      [1, 2, 3, 4].map((t) => plain(t)),
      { lastTargetTime: 3 },
    );
    expect(times(sel)).toEqual([3, 4]);
    expect(sel.skipped.alreadySynced).toBe(2);
    expect([...sel.sourceTimes]).toEqual([1, 2, 3, 4]);
  });

  it('transfer-last keeps the newest N (and the last synced one)', () => {
    const src = [1, 2, 3, 4, 5].map((t) => plain(t));
    expect(times(selectSnapshots(src, { transferLast: 2 }))).toEqual([4, 5]);
    const sel = selectSnapshots(src, { transferLast: 2, lastTargetTime: 2 });
    expect(times(sel)).toEqual([2, 4, 5]);
    expect(sel.skipped).toMatchObject({ alreadySynced: 1, transferLast: 1 });
    expect(times(selectSnapshots(src, { transferLast: 10 }))).toEqual([1, 2, 3, 4, 5]);
  });

  it('verified-only and encrypted-only drop snapshots before transfer-last counts', () => {
    const ok = { state: 'ok' };
    const src = [
      plain(1, { verification: ok }),
      plain(2, { verification: { state: 'failed' } }),
      plain(3),
      plain(4, { verification: ok }),
    ];
    expect(times(selectSnapshots(src, { verifiedOnly: true }))).toEqual([1, 4]);
    expect(times(selectSnapshots(src, { verifiedOnly: true, transferLast: 2 }))).toEqual([1, 4]);

    const enc: SourceSnapshotInfo = {
      time: 5,
      size: 1,
      files: [
        { filename: 'index.json.blob', cryptMode: 'sign-only' },
        { filename: 'client.log.blob', cryptMode: 'none' },
        { filename: 'root.pxar.didx', cryptMode: 'encrypt' },
      ],
    };
    expect(isFullyEncrypted(enc)).toBe(true);
    expect(isFullyEncrypted(plain(1))).toBe(false);
    const sel = selectSnapshots([plain(1), enc], { encryptedOnly: true });
    expect(times(sel)).toEqual([5]);
    expect(sel.skipped.notEncrypted).toBe(1);
  });

  it('resync-corrupt re-takes a corrupt target snapshot even when older', () => {
    const src = [1, 2, 3].map((t) => plain(t));
    const sel = selectSnapshots(src, {
      lastTargetTime: 3,
      resyncCorrupt: true,
      corruptOnTarget: new Set([1]),
    });
    expect(sel.selected).toEqual([
      { time: 1, resync: true },
      { time: 3, resync: false },
    ]);
    // without the flag the corrupt copy stays
    expect(times(selectSnapshots(src, { lastTargetTime: 3, corruptOnTarget: new Set([1]) }))).toEqual([3]);
  });
});
