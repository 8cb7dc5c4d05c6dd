import { AppError } from '@pbs/api-types/errors';
import { snapshotDirName } from '../hierarchy/backup-ref.js';

/*
 * The period ids of the keep rules (prune.rs): strftime in the server's local time zone —
 * keep-hourly '%Y/%m/%d/%H', keep-daily '%Y/%m/%d', keep-weekly '%G/%V' (ISO week-based year
 * and week), keep-monthly '%Y/%m', keep-yearly '%Y'; keep-last uses the backup time string, so
 * every snapshot is its own period. 'local' follows the process's zone (TZ); an IANA name
 * (e.g. 'Europe/Vienna') pins one, which is what tests and tools that must not depend on the
 * machine want.
 */

export type PruneRule =
  'keep-last' | 'keep-hourly' | 'keep-daily' | 'keep-weekly' | 'keep-monthly' | 'keep-yearly';

/** 'local' (the process's time zone), 'utc', or an IANA zone name */
export type PruneTimeZone = string;

interface CivilTime {
  year: number;
  month: number;
  day: number;
  hour: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        hourCycle: 'h23',
      });
    } catch (err) {
      throw new AppError('INVALID_ARGUMENT', `unknown time zone '${timeZone}'`, { cause: err });
    }
    formatters.set(timeZone, fmt);
  }
  return fmt;
}

function civilTime(time: number, timeZone: PruneTimeZone): CivilTime {
  const date = new Date(time * 1000);
  if (timeZone === 'local') {
    return {
      year: date.getFullYear(),
      month: date.getMonth() + 1,
      day: date.getDate(),
      hour: date.getHours(),
    };
  }
  if (timeZone === 'utc' || timeZone === 'UTC') {
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
    };
  }
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(date)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0, hour: parts.hour ?? 0 };
}

/** ISO 8601 week-based year and week (strftime %G/%V) of a calendar date. */
export function isoWeek(year: number, month: number, day: number): { year: number; week: number } {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay(); // Monday = 1 … Sunday = 7
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const isoYear = date.getUTCFullYear();
  const dayOfYear = Math.floor((date.getTime() - Date.UTC(isoYear, 0, 1)) / 86_400_000) + 1;
  return { year: isoYear, week: Math.floor((dayOfYear - 1) / 7) + 1 };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The period a snapshot taken at `time` (epoch seconds) belongs to under `rule`. */
export function periodId(rule: PruneRule, time: number, timeZone: PruneTimeZone): string {
  if (rule === 'keep-last') return snapshotDirName(time);
  const t = civilTime(time, timeZone);
  switch (rule) {
    case 'keep-hourly':
      return `${pad(t.year, 4)}/${pad(t.month)}/${pad(t.day)}/${pad(t.hour)}`;
    case 'keep-daily':
      return `${pad(t.year, 4)}/${pad(t.month)}/${pad(t.day)}`;
    case 'keep-weekly': {
      const w = isoWeek(t.year, t.month, t.day);
      return `${pad(w.year, 4)}/${pad(w.week)}`;
    }
    case 'keep-monthly':
      return `${pad(t.year, 4)}/${pad(t.month)}`;
    case 'keep-yearly':
      return pad(t.year, 4);
  }
}
