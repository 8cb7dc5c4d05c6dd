/*
 * Media pool policies (PBS media_pool.rs, pbs-api-types media_pool.rs): allocation `continue`
 * (default), `always` or a calendar event; retention `keep` (default), `overwrite` or a time
 * span. Time spans follow proxmox-time: numbers with units (s, m/min, h, d, w, M/months,
 * y/years; a month is 30.44 days, a year 365.25 days) summed, e.g. '1w 2d' or '30 days'.
 */
import { AppError } from '@pbs/api-types/errors';
import { computeNextEvent, parseCalendarEvent, type CalendarEvent } from '@pbs/tasks';

export type AllocationPolicy =
  { kind: 'continue' } | { kind: 'always' } | { kind: 'calendar'; event: CalendarEvent; text: string };
export type RetentionPolicy = { kind: 'keep' } | { kind: 'overwrite' } | { kind: 'protect'; seconds: number };

const UNITS: Record<string, number> = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
  w: 604800,
  week: 604800,
  weeks: 604800,
  M: 2629800,
  month: 2629800,
  months: 2629800,
  y: 31557600,
  year: 31557600,
  years: 31557600,
};

/** seconds of a time span; INVALID_ARGUMENT naming the text otherwise */
export function parseTimeSpan(text: string): number {
  const re = /(\d+(?:\.\d+)?)\s*([a-zA-Z]+)?/y;
  let total = 0;
  let pos = 0;
  let matched = false;
  const src = text.trim();
  while (pos < src.length) {
    while (src[pos] === ' ') pos++;
    if (pos >= src.length) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) throw new AppError('INVALID_ARGUMENT', `'${text}' is not a time span`);
    const unit = m[2] ?? 's';
    const factor = UNITS[unit] ?? UNITS[unit.toLowerCase()];
    if (factor === undefined) {
      throw new AppError('INVALID_ARGUMENT', `'${text}': unknown time unit '${unit}'`);
    }
    total += Number(m[1]) * factor;
    pos = re.lastIndex;
    matched = true;
  }
  if (!matched) throw new AppError('INVALID_ARGUMENT', `'${text}' is not a time span`);
  return Math.floor(total);
}

export function parseAllocationPolicy(text: string | undefined): AllocationPolicy {
  if (text === undefined || text === 'continue') return { kind: 'continue' };
  if (text === 'always') return { kind: 'always' };
  try {
    return { kind: 'calendar', event: parseCalendarEvent(text), text };
  } catch (err) {
    throw new AppError(
      'INVALID_ARGUMENT',
      `allocation '${text}': not 'continue', 'always' or a calendar event`,
      {
        cause: err,
      },
    );
  }
}

export function parseRetentionPolicy(text: string | undefined): RetentionPolicy {
  if (text === undefined || text === 'keep') return { kind: 'keep' };
  if (text === 'overwrite') return { kind: 'overwrite' };
  try {
    return { kind: 'protect', seconds: parseTimeSpan(text) };
  } catch (err) {
    throw new AppError('INVALID_ARGUMENT', `retention '${text}': not 'keep', 'overwrite' or a time span`, {
      cause: err,
    });
  }
}

/** the next calendar event after `after` (epoch seconds), in local time as PBS */
export function nextAllocation(policy: AllocationPolicy, after: number): number | null {
  return policy.kind === 'calendar' ? computeNextEvent(policy.event, after, false) : null;
}

/**
 * PBS Inventory::media_expire_time: when a medium of a media set may be overwritten. The set's
 * use ends when the next set starts (or, with 'always', at its own start; with a calendar
 * policy and no newer set, at the next event); retention adds its span. Never: Infinity.
 */
export function mediaSetExpireTime(opts: {
  allocation: AllocationPolicy;
  retention: RetentionPolicy;
  setStart: number;
  nextSetStart: number | undefined;
}): number {
  const { allocation, retention, setStart, nextSetStart } = opts;
  if (retention.kind === 'keep') return Infinity;
  let maxUse: number;
  if (nextSetStart !== undefined) {
    maxUse = allocation.kind === 'always' ? setStart : nextSetStart;
  } else if (allocation.kind === 'continue') {
    return Infinity;
  } else if (allocation.kind === 'always') {
    maxUse = setStart;
  } else {
    const next = nextAllocation(allocation, setStart);
    if (next === null) return Infinity;
    maxUse = next;
  }
  return retention.kind === 'overwrite' ? maxUse : maxUse + retention.seconds;
}
