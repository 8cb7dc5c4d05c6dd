import { describe, expect, it } from 'vitest';
import { parseSnapshotPath } from '../hierarchy/snapshot-path.js';
import { computePruneMarks, keepsSomething, type KeepOptions, type PruneCandidate } from './prune-marks.js';
import { isoWeek, periodId } from './prune-period.js';

/*
 * Table tests. The first block is PBS's tests/prune.rs, case by case: get_prune_list returns the
 * snapshots whose mark (not the keep-all override) is keep / remove, oldest first.
 */

function info(path: string, partial = false, isProtected = false): PruneCandidate & { path: string } {
  return { path, time: parseSnapshotPath(path).snapshot.time, finished: !partial, protected: isProtected };
}

function pruneList(
  list: ReturnType<typeof info>[],
  returnKept: boolean,
  keep: KeepOptions,
  timeZone = 'utc',
): string[] {
  const marks = computePruneMarks(list, keep, { timeZone }).reverse();
  const byTime = new Map(list.map((i) => [i.time, i.path]));
  return marks.filter((m) => (m.mark !== 'remove') === returnKept).map((m) => byTime.get(m.time) as string);
}

const e = (d: string) => `host/elsa/${d}`;

describe('prune marks: PBS tests/prune.rs', () => {
  it('test_prune_protected', () => {
    const list = [
      info(e('2019-11-15T09:39:15Z'), false, true),
      info(e('2019-11-15T10:39:15Z')),
      info(e('2019-11-15T10:49:15Z')),
      info(e('2019-11-15T10:59:15Z'), false, true),
    ];
    expect(pruneList(list, false, { keepLast: 1 })).toEqual([e('2019-11-15T10:39:15Z')]);
    expect(pruneList(list, false, { keepHourly: 1 })).toEqual([e('2019-11-15T10:39:15Z')]);
  });

  it('test_prune_hourly', () => {
    const list = ['09:39', '10:49', '10:59', '11:39', '11:49', '11:59'].map((t) =>
      info(e(`2019-11-15T${t}:15Z`)),
    );
    expect(pruneList(list, false, { keepHourly: 3 })).toEqual([
      e('2019-11-15T10:49:15Z'),
      e('2019-11-15T11:39:15Z'),
      e('2019-11-15T11:49:15Z'),
    ]);
    expect(pruneList(list, true, { keepHourly: 2 })).toEqual([
      e('2019-11-15T10:59:15Z'),
      e('2019-11-15T11:59:15Z'),
    ]);
  });

  it('test_prune_simple2', () => {
    const list = [
      '2018-11-15',
      '2019-11-15',
      '2019-11-21',
      '2019-11-22',
      '2019-11-29',
      '2019-12-01',
      '2019-12-02',
      '2019-12-03',
      '2019-12-04',
    ].map((d) => info(e(`${d}T11:59:15Z`)));
    const d = (day: string) => e(`${day}T11:59:15Z`);
    expect(pruneList(list, true, { keepDaily: 1 })).toEqual([d('2019-12-04')]);
    expect(pruneList(list, true, { keepLast: 1, keepDaily: 1 })).toEqual([d('2019-12-03'), d('2019-12-04')]);
    expect(pruneList(list, true, { keepDaily: 1, keepWeekly: 1 })).toEqual([
      d('2019-12-01'),
      d('2019-12-04'),
    ]);
    expect(pruneList(list, true, { keepDaily: 1, keepWeekly: 1, keepMonthly: 1 })).toEqual([
      d('2019-11-22'),
      d('2019-12-01'),
      d('2019-12-04'),
    ]);
    expect(pruneList(list, true, { keepMonthly: 1, keepYearly: 1 })).toEqual([
      d('2018-11-15'),
      d('2019-12-04'),
    ]);
  });

  it('test_prune_simple', () => {
    const list = [
      info(e('2019-12-02T11:59:15Z')),
      info(e('2019-12-03T11:59:15Z')),
      info(e('2019-12-04T11:59:15Z')),
      info(e('2019-12-04T12:59:15Z')),
    ];
    const [a, b, c, d] = list.map((i) => i.path);
    expect(pruneList(list, false, { keepLast: 4 })).toEqual([]);
    expect(pruneList(list, false, { keepLast: 3 })).toEqual([a]);
    expect(pruneList(list, false, { keepLast: 2 })).toEqual([a, b]);
    expect(pruneList(list, false, { keepLast: 1 })).toEqual([a, b, c]);
    expect(pruneList(list, false, { keepLast: 0 })).toEqual([a, b, c, d]);
    expect(pruneList(list, false, { keepLast: 2, keepDaily: 2 })).toEqual([]);
    expect(pruneList(list, false, { keepDaily: 3 })).toEqual([c]);
    expect(pruneList(list, false, { keepDaily: 2 })).toEqual([a, c]);
    expect(pruneList(list, false, { keepWeekly: 5 })).toEqual([a, b, c]);
    expect(pruneList(list, false, { keepDaily: 1, keepWeekly: 5 })).toEqual([a, b, c]);
    expect(pruneList(list, false, { keepMonthly: 6 })).toEqual([a, b, c]);
    expect(pruneList(list, false, { keepYearly: 7 })).toEqual([a, b, c]);
    expect(pruneList(list, false, { keepWeekly: 5, keepMonthly: 6, keepYearly: 7 })).toEqual([a, b, c]);
  });
});

const at = (iso: string, extra: Partial<PruneCandidate> = {}): PruneCandidate => ({
  time: Date.parse(iso) / 1000,
  finished: true,
  protected: false,
  ...extra,
});
const marks = (list: PruneCandidate[], keep: KeepOptions, timeZone = 'utc') =>
  computePruneMarks(list, keep, { timeZone }).map((m) => [
    new Date(m.time * 1000).toISOString().slice(0, 16),
    m.mark,
    m.keep,
    m.reason,
  ]);

describe('prune marks: the rules of §7', () => {
  it('keeps everything when no option is above 0, but still reports the marks', () => {
    const list = [at('2020-01-01T00:00:00Z'), at('2020-01-02T00:00:00Z')];
    expect(keepsSomething({})).toBe(false);
    expect(keepsSomething({ keepLast: 0, keepDaily: 0 })).toBe(false);
    for (const keep of [{}, { keepLast: 0 }, { keepDaily: 0, keepYearly: 0 }]) {
      expect(computePruneMarks(list, keep, { timeZone: 'utc' }).every((m) => m.keep)).toBe(true);
    }
    expect(marks(list, { keepLast: 0 })[1]).toEqual([
      '2020-01-01T00:00',
      'remove',
      true,
      'no prune selection - keeping all',
    ]);
  });

  it('is cumulative: keep-last=1 + keep-daily=3 covers four distinct days', () => {
    const list = ['01', '02', '03', '04', '05'].flatMap((d) => [
      at(`2020-01-${d}T08:00:00Z`),
      at(`2020-01-${d}T20:00:00Z`),
    ]);
    const kept = computePruneMarks(list, { keepLast: 1, keepDaily: 3 }, { timeZone: 'utc' }).filter(
      (m) => m.keep,
    );
    expect(kept.map((m) => [new Date(m.time * 1000).toISOString().slice(0, 13), m.reason])).toEqual([
      ['2020-01-05T20', 'keep-last'],
      ['2020-01-04T20', 'keep-daily'],
      ['2020-01-03T20', 'keep-daily'],
      ['2020-01-02T20', 'keep-daily'],
    ]);
  });

  it('never removes protected snapshots and does not let them use a slot', () => {
    const list = [
      at('2020-01-01T00:00:00Z'),
      at('2020-01-02T00:00:00Z'),
      at('2020-01-03T00:00:00Z', { protected: true }),
    ];
    expect(marks(list, { keepLast: 1 })).toEqual([
      ['2020-01-03T00:00', 'protected', true, 'protected'],
      ['2020-01-02T00:00', 'keep', true, 'keep-last'],
      ['2020-01-01T00:00', 'remove', false, 'not selected'],
    ]);
  });

  it('keeps the newest unfinished snapshot only while no finished one is newer', () => {
    const list = [
      at('2020-01-01T00:00:00Z', { finished: false }),
      at('2020-01-02T00:00:00Z'),
      at('2020-01-03T00:00:00Z', { finished: false }),
      at('2020-01-04T00:00:00Z', { finished: false }),
    ];
    expect(marks(list, { keepLast: 5 })).toEqual([
      ['2020-01-04T00:00', 'keep-partial', true, 'newest unfinished snapshot'],
      ['2020-01-03T00:00', 'remove', false, 'unfinished'],
      ['2020-01-02T00:00', 'keep', true, 'keep-last'],
      ['2020-01-01T00:00', 'remove', false, 'unfinished'],
    ]);
  });

  it('marks the second snapshot of a period taken by a rule as removed, for later rules too', () => {
    const list = [at('2020-01-01T08:00:00Z'), at('2020-01-01T20:00:00Z')];
    expect(marks(list, { keepDaily: 1, keepYearly: 5 })).toEqual([
      ['2020-01-01T20:00', 'keep', true, 'keep-daily'],
      ['2020-01-01T08:00', 'remove', false, 'period already kept (keep-daily)'],
    ]);
  });

  it('uses ISO weeks across year boundaries', () => {
    expect(isoWeek(2018, 12, 31)).toEqual({ year: 2019, week: 1 });
    expect(isoWeek(2020, 12, 31)).toEqual({ year: 2020, week: 53 });
    expect(isoWeek(2021, 1, 3)).toEqual({ year: 2020, week: 53 });
    expect(isoWeek(2021, 1, 4)).toEqual({ year: 2021, week: 1 });
    expect(isoWeek(2026, 12, 28)).toEqual({ year: 2026, week: 53 });
    const list = [at('2018-12-30T12:00:00Z'), at('2018-12-31T12:00:00Z'), at('2019-01-01T12:00:00Z')];
    expect(marks(list, { keepWeekly: 2 }).map((m) => m.slice(0, 2))).toEqual([
      ['2019-01-01T12:00', 'keep'],
      ['2018-12-31T12:00', 'remove'],
      ['2018-12-30T12:00', 'keep'],
    ]);
    expect(periodId('keep-weekly', Date.parse('2021-01-02T12:00:00Z') / 1000, 'utc')).toBe('2020/53');
  });

  it('counts periods in the server’s time zone', () => {
    const lateUtc = at('2019-11-15T23:30:00Z'); // 2019-11-16 00:30 in Vienna
    const early = at('2019-11-16T00:30:00Z');
    expect(marks([lateUtc, early], { keepDaily: 1 }, 'utc').map((m) => m[1])).toEqual(['keep', 'remove']);
    expect(marks([lateUtc, early], { keepDaily: 5 }, 'utc').map((m) => m[1])).toEqual(['keep', 'keep']);
    expect(marks([lateUtc, early], { keepDaily: 5 }, 'Europe/Vienna').map((m) => m[1])).toEqual([
      'keep',
      'remove',
    ]);
    expect(periodId('keep-daily', lateUtc.time, 'Europe/Vienna')).toBe('2019/11/16');
    expect(periodId('keep-hourly', lateUtc.time, 'America/New_York')).toBe('2019/11/15/18');
  });

  it('follows DST: the repeated autumn hour is one hourly period, the skipped spring hour none', () => {
    const autumn1 = Date.parse('2021-10-31T00:30:00Z') / 1000; // 02:30 CEST
    const autumn2 = Date.parse('2021-10-31T01:30:00Z') / 1000; // 02:30 CET
    expect(periodId('keep-hourly', autumn1, 'Europe/Vienna')).toBe('2021/10/31/02');
    expect(periodId('keep-hourly', autumn2, 'Europe/Vienna')).toBe('2021/10/31/02');
    const spring = Date.parse('2021-03-28T01:30:00Z') / 1000; // 03:30 CEST, 02:xx never happens
    expect(periodId('keep-hourly', spring, 'Europe/Vienna')).toBe('2021/03/28/03');
  });

  it("uses the process's zone for 'local'", () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'Asia/Tokyo';
      expect(periodId('keep-daily', Date.parse('2020-01-01T16:00:00Z') / 1000, 'local')).toBe('2020/01/02');
      process.env.TZ = 'UTC';
      expect(periodId('keep-daily', Date.parse('2020-01-01T16:00:00Z') / 1000, 'local')).toBe('2020/01/01');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('rejects negative or fractional counts and unknown zones', () => {
    expect(() => computePruneMarks([], { keepLast: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => computePruneMarks([], { keepDaily: 1.5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() =>
      computePruneMarks([at('2020-01-01T00:00:00Z')], { keepDaily: 1 }, { timeZone: 'Mars/Olympus' }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
