import { AppError } from '@pbs/api-types/errors';
import { periodId, type PruneRule, type PruneTimeZone } from './prune-period.js';

/*
 * compute_prune_info (prune.rs, pbs-formats §7), pure. Snapshots are considered newest first.
 * The newest unfinished snapshot is kept ('keep-partial') unless a finished one is newer; other
 * unfinished ones are removed. Then each rule in order keeps the newest snapshot of up to N
 * periods not already covered by snapshots kept by earlier rules; a second snapshot in a
 * period the rule has taken is marked 'remove' (later rules cannot keep it). Protected
 * snapshots are marked 'protected' and use no slot. Whatever is left is removed — unless no
 * option is above 0, in which case nothing is (PBS's "keep all"): marks stay, keep is true.
 */

export interface KeepOptions {
  keepLast?: number;
  keepHourly?: number;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
  keepYearly?: number;
}

export type PruneMarkKind = 'keep' | 'remove' | 'protected' | 'keep-partial';

export interface PruneCandidate {
  time: number;
  finished: boolean;
  protected: boolean;
}

export interface ComputedMark {
  time: number;
  mark: PruneMarkKind;
  /** false only for snapshots prune removes */
  keep: boolean;
  /** the rule that kept it, or why it goes: 'keep-daily', 'protected', 'not selected', … */
  reason: string;
}

const RULES: ReadonlyArray<[PruneRule, keyof KeepOptions]> = [
  ['keep-last', 'keepLast'],
  ['keep-hourly', 'keepHourly'],
  ['keep-daily', 'keepDaily'],
  ['keep-weekly', 'keepWeekly'],
  ['keep-monthly', 'keepMonthly'],
  ['keep-yearly', 'keepYearly'],
];

export function checkKeepOptions(keep: KeepOptions): KeepOptions {
  for (const [, key] of RULES) {
    const n = keep[key];
    if (n !== undefined && (!Number.isSafeInteger(n) || n < 0)) {
      throw new AppError('INVALID_ARGUMENT', `${key} must be a non-negative integer`, {
        details: { [key]: n },
      });
    }
  }
  return keep;
}

/** KeepOptions::keeps_something: some option above 0. */
export function keepsSomething(keep: KeepOptions): boolean {
  return RULES.some(([, key]) => (keep[key] ?? 0) > 0);
}

type Marks = Map<number, { mark: PruneMarkKind; reason: string }>;

function markIncomplete(marks: Marks, list: readonly PruneCandidate[]): void {
  let keepUnfinished = true;
  list.forEach((info, i) => {
    if (info.finished) {
      keepUnfinished = false;
      return;
    }
    marks.set(
      i,
      keepUnfinished
        ? { mark: 'keep-partial', reason: 'newest unfinished snapshot' }
        : { mark: 'remove', reason: 'unfinished' },
    );
    keepUnfinished = false;
  });
}

function markSelections(
  marks: Marks,
  list: readonly PruneCandidate[],
  keep: number,
  rule: PruneRule,
  period: (t: number) => string,
): void {
  const alreadyIncluded = new Set<string>();
  list.forEach((info, i) => {
    if (marks.get(i)?.mark === 'keep') alreadyIncluded.add(period(info.time));
  });
  const included = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const info = list[i] as PruneCandidate;
    if (marks.has(i)) continue;
    if (info.protected) {
      marks.set(i, { mark: 'protected', reason: 'protected' });
      continue;
    }
    const id = period(info.time);
    if (alreadyIncluded.has(id)) continue;
    if (!included.has(id)) {
      if (included.size >= keep) break;
      included.add(id);
      marks.set(i, { mark: 'keep', reason: rule });
    } else {
      marks.set(i, { mark: 'remove', reason: `period already kept (${rule})` });
    }
  }
}

/** The prune decision for every snapshot of one group, newest first. */
export function computePruneMarks(
  snapshots: readonly PruneCandidate[],
  keep: KeepOptions,
  opts: { timeZone?: PruneTimeZone } = {},
): ComputedMark[] {
  checkKeepOptions(keep);
  const timeZone = opts.timeZone ?? 'local';
  const list = snapshots
    .map((s, i) => ({ s, i }))
    .sort((a, b) => b.s.time - a.s.time || a.i - b.i)
    .map(({ s }) => s);
  const marks: Marks = new Map();
  markIncomplete(marks, list);
  for (const [rule, key] of RULES) {
    const n = keep[key];
    if (n !== undefined) markSelections(marks, list, n, rule, (t) => periodId(rule, t, timeZone));
  }
  const keepAll = !keepsSomething(keep);
  return list.map((info, i) => {
    const m = info.protected
      ? { mark: 'protected' as const, reason: 'protected' }
      : (marks.get(i) ?? { mark: 'remove' as const, reason: 'not selected' });
    const keepIt = keepAll || m.mark !== 'remove';
    return {
      time: info.time,
      mark: m.mark,
      keep: keepIt,
      reason: keepAll && m.mark === 'remove' ? 'no prune selection - keeping all' : m.reason,
    };
  });
}
