/**
 * PBS/systemd-style calendar events ('daily', 'mon..fri 02:00', '*:0/15', 'sat *-1..7 15:00',
 * '2026-12-24 18:00', optional 'UTC' suffix) and the next matching time, as proxmox-time's
 * CalendarEvent does it: fields are matched from the year down to the second, each mismatch
 * jumps to the next candidate, and a search that needs more than 1000 jumps finds nothing.
 */
import { AppError } from '@pbs/api-types/errors';
import { CalendarParser, keywordEvent, ZERO_FIELD, type CalendarEvent } from './calendar-parse.js';
import { findNext, listContains, type DateTimeValue } from './date-time-value.js';
import { TmEditor } from './tm-editor.js';

export type { CalendarEvent } from './calendar-parse.js';
export type { DateTimeValue } from './date-time-value.js';

const MAX_STEPS = 1000;
const ALL_DAYS = 0x7f;

export function parseCalendarEvent(input: string): CalendarEvent {
  let text = input;
  let utc = false;
  if (text.endsWith('UTC')) {
    utc = true;
    text = text.slice(0, -3).replace(/ +$/, '');
  }
  const bad = (pos: number, what: string): AppError =>
    new AppError('INVALID_ARGUMENT', `calendar event '${input}': ${what} at '${text.slice(pos)}'`);

  const parser = new CalendarParser(text);
  let p = 0;
  let days = 0;
  if (/^[A-Za-z]/.test(text)) {
    const keyword = keywordEvent(text, utc);
    if (keyword) return keyword;
    const list = parser.weekdays(0);
    if (!list) throw bad(parser.failure.pos, parser.failure.what);
    days = list.v;
    p = skipSpaces(text, list.p);
  }
  const date = parser.date(p);
  if (date) p = skipSpaces(text, date.p);
  const time = parser.time(p);
  if (time) p = time.p;
  if ((days === 0 && !date && !time) || p < text.length) {
    // The failure that got furthest is the likeliest culprit, unless the parse got further.
    const { pos, what } = parser.failure;
    if (pos > p || (pos === p && p < text.length)) throw bad(pos, what);
    throw bad(p, p < text.length ? 'unexpected text' : 'expected a date or time specification');
  }
  const clock = time?.v ?? { hour: ZERO_FIELD, minute: ZERO_FIELD, second: ZERO_FIELD };
  return {
    utc,
    days,
    ...clock,
    year: date?.v.year ?? [],
    month: date?.v.month ?? [],
    day: date?.v.day ?? [],
  };
}

function skipSpaces(text: string, p: number): number {
  let q = p;
  while (text[q] === ' ' || text[q] === '\t') q++;
  return q;
}

/** Throws AppError INVALID_ARGUMENT naming the part that is wrong. */
export function verifyCalendarEvent(text: string): void {
  parseCalendarEvent(text);
}

type Step = 'match' | 'moved' | 'never';

/** Jumps to the next allowed value of one field, or to the start of the next larger unit. */
function matchField(
  list: readonly DateTimeValue[],
  value: number,
  jump: (n: number) => void,
  carry: () => void,
): Step {
  if (list.length === 0 || listContains(list, value)) return 'match';
  const n = findNext(list, value);
  if (n !== undefined) jump(n);
  else carry();
  return 'moved';
}

function matchWeekday(days: number, t: TmEditor): Step {
  if (days === 0 || days === ALL_DAYS) return 'match';
  const today = t.dayNum();
  if (days & (1 << today)) return 'match';
  let n = today + 1;
  while (n < 7 && !(days & (1 << n))) n++;
  t.addDays(n - today); // n = 7 is next week's Monday
  return 'moved';
}

function step(e: CalendarEvent, t: TmEditor): Step {
  if (e.year.length > 0 && !listContains(e.year, t.year)) {
    const n = findNext(e.year, t.year);
    if (n === undefined) return 'never';
    t.addYears(n - t.year);
    return 'moved';
  }
  const checks: Array<() => Step> = [
    () =>
      matchField(
        e.month,
        t.month,
        (n) => t.addMonths(n - t.month),
        () => t.addYears(1),
      ),
    () =>
      matchField(
        e.day,
        t.day,
        (n) => t.addDays(n - t.day),
        () => t.addMonths(1),
      ),
    () => matchWeekday(e.days, t),
    () =>
      matchField(
        e.hour,
        t.hour,
        (n) => t.setTime(n, 0, 0),
        () => t.addDays(1),
      ),
    () =>
      matchField(
        e.minute,
        t.min,
        (n) => t.setMinSec(n, 0),
        () => t.setTime(t.hour + 1, 0, 0),
      ),
    () =>
      matchField(
        e.second,
        t.sec,
        (n) => t.setSec(n),
        () => t.setMinSec(t.min + 1, 0),
      ),
  ];
  for (const check of checks) {
    const result = check();
    if (result !== 'match') return result;
  }
  return 'match';
}

/**
 * The first matching time strictly after `lastEpochSec` (epoch seconds), or null if there is
 * none. Evaluated in UTC when `utc` is set or the event says 'UTC', else in the local zone.
 */
export function computeNextEvent(event: CalendarEvent, lastEpochSec: number, utc: boolean): number | null {
  const t = TmEditor.withEpoch(Math.floor(lastEpochSec) + 1, utc || event.utc);
  for (let count = 0; count <= MAX_STEPS; count++) {
    const result = step(event, t);
    if (result === 'never') return null;
    if (result === 'match') return t.intoEpoch();
  }
  return null;
}
