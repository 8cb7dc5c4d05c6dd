/**
 * Calendar-event grammar of proxmox-time (a systemd.time dialect):
 *
 *   [weekdays] [[year-]month-day] [[hour:]minute[:second]] [UTC]   or a keyword ('daily', …)
 *
 * Every field is '*', '*∕step' or a ','-list of `v`, `a..b`, `v/step`, `a..b/step`. The parser
 * backtracks exactly like the nom combinators it mirrors (a list stops before the first entry
 * that does not parse; optional parts fall back), so odd inputs mean what they mean in PBS.
 */
import type { DateTimeValue } from './date-time-value.js';

export interface CalendarEvent {
  /** the text carried a 'UTC' suffix */
  readonly utc: boolean;
  /** bit 0 = Monday … bit 6 = Sunday; 0 = every day */
  readonly days: number;
  readonly second: readonly DateTimeValue[];
  readonly minute: readonly DateTimeValue[];
  readonly hour: readonly DateTimeValue[];
  readonly day: readonly DateTimeValue[];
  readonly month: readonly DateTimeValue[];
  readonly year: readonly DateTimeValue[];
}

type Result<T> = { v: T; p: number } | null;

const WEEKDAYS: Record<string, number> = {
  mon: 0,
  monday: 0,
  tue: 1,
  tuesday: 1,
  wed: 2,
  wednesday: 2,
  thu: 3,
  thursday: 3,
  fri: 4,
  friday: 4,
  sat: 5,
  saturday: 5,
  sun: 6,
  sunday: 6,
};

const ZERO: DateTimeValue[] = [{ kind: 'single', value: 0 }];
const singles = (...values: number[]): DateTimeValue[] => values.map((value) => ({ kind: 'single', value }));

const MIDNIGHT = { hour: ZERO, minute: ZERO, second: ZERO };
const KEYWORDS: Record<string, Partial<CalendarEvent>> = {
  minutely: { second: ZERO },
  hourly: { minute: ZERO, second: ZERO },
  daily: MIDNIGHT,
  weekly: { ...MIDNIGHT, days: 1 },
  monthly: { ...MIDNIGHT, day: singles(1) },
  yearly: { ...MIDNIGHT, day: singles(1), month: singles(1) },
  annually: { ...MIDNIGHT, day: singles(1), month: singles(1) },
  quarterly: { ...MIDNIGHT, day: singles(1), month: singles(1, 4, 7, 10) },
  semiannually: { ...MIDNIGHT, day: singles(1), month: singles(1, 7) },
  'semi-annually': { ...MIDNIGHT, day: singles(1), month: singles(1, 7) },
};

export interface ParseFailure {
  /** offset into the text (after the 'UTC' suffix was removed) */
  pos: number;
  what: string;
}

export class CalendarParser {
  /** the failure that got furthest into the text: the best guess at what is wrong */
  failure: ParseFailure = { pos: -1, what: '' };

  constructor(readonly text: string) {}

  private fail(pos: number, what: string): null {
    if (pos > this.failure.pos) this.failure = { pos, what };
    return null;
  }

  private number(max: number) {
    return (p: number): Result<number> => {
      const digits = /^[0-9]+/.exec(this.text.slice(p))?.[0];
      if (!digits) return this.fail(p, 'expected a number');
      const v = Number(digits);
      if (v > 0xffffffff) return this.fail(p, `number '${digits}' out of range`);
      if (v >= max) return this.fail(p, `value '${digits}' too large (at most ${max - 1})`);
      return { v, p: p + digits.length };
    };
  }

  private entry(max: number) {
    return (p: number): Result<DateTimeValue> => {
      const num = this.number(max);
      const first = num(p);
      if (!first) return null;
      const end = this.text.startsWith('..', first.p) ? num(first.p + 2) : null;
      if (end) {
        if (first.v > end.v) return this.fail(p, 'range start is bigger than end');
        if (this.text[end.p] !== '/') return { v: { kind: 'range', start: first.v, end: end.v }, p: end.p };
        const step = num(end.p + 1);
        return step && { v: { kind: 'repeated', start: first.v, step: step.v, end: end.v }, p: step.p };
      }
      if (this.text[first.p] !== '/') return { v: { kind: 'single', value: first.v }, p: first.p };
      const step = num(first.p + 1);
      return step && { v: { kind: 'repeated', start: first.v, step: step.v }, p: step.p };
    };
  }

  private separatedList<T>(item: (p: number) => Result<T>, p: number): Result<T[]> {
    const first = item(p);
    if (!first) return null;
    const out = [first.v];
    let pos = first.p;
    while (this.text[pos] === ',') {
      const next = item(pos + 1);
      if (!next) break; // the list ends before the ','; whatever follows must fit elsewhere
      out.push(next.v);
      pos = next.p;
    }
    return { v: out, p: pos };
  }

  /** `*` (any), `*∕n` (every n from `start`), or a list of entries */
  private field(start: number, max: number) {
    return (p: number): Result<DateTimeValue[]> => {
      if (this.text[p] === '*') {
        if (this.text[p + 1] === '/') {
          const step = this.number(max)(p + 2);
          if (!step) return null;
          if (step.v > 0) return { v: [{ kind: 'repeated', start, step: step.v }], p: step.p };
        }
        return { v: [], p: p + 1 };
      }
      return this.separatedList(this.entry(max), p);
    };
  }

  private weekday(p: number): Result<number> {
    const word = /^[A-Za-z]+/.exec(this.text.slice(p))?.[0];
    if (!word) return this.fail(p, 'expected a weekday');
    const day = WEEKDAYS[word.toLowerCase()];
    return day === undefined ? this.fail(p, `invalid weekday '${word}'`) : { v: day, p: p + word.length };
  }

  /** `mon`, or `fri..mon` wrapping over the week end; as a bit set */
  private weekdayRange(p: number): Result<number> {
    const start = this.weekday(p);
    if (!start) return null;
    const end = this.text.startsWith('..', start.p) ? this.weekday(start.p + 2) : null;
    if (!end) return { v: 1 << start.v, p: start.p };
    let bits = 0;
    for (let d = start.v; ; d = (d + 1) % 7) {
      bits |= 1 << d;
      if (d === end.v) break;
    }
    return { v: bits, p: end.p };
  }

  weekdays(p: number): Result<number> {
    const list = this.separatedList((q) => this.weekdayRange(q), p);
    return list && { v: list.v.reduce((a, b) => a | b, 0), p: list.p };
  }

  date(p: number): Result<Pick<CalendarEvent, 'year' | 'month' | 'day'>> {
    const full = this.dashed([this.field(0, 2200), this.field(1, 13), this.field(1, 32)], p);
    if (full)
      return { v: { year: full.v[0] ?? [], month: full.v[1] ?? [], day: full.v[2] ?? [] }, p: full.p };
    const short = this.dashed([this.field(1, 13), this.field(1, 32)], p);
    return short && { v: { year: [], month: short.v[0] ?? [], day: short.v[1] ?? [] }, p: short.p };
  }

  private dashed(parts: Array<(p: number) => Result<DateTimeValue[]>>, p: number): Result<DateTimeValue[][]> {
    const out: DateTimeValue[][] = [];
    let pos = p;
    for (const [i, part] of parts.entries()) {
      if (i > 0) {
        if (this.text[pos] !== '-') return this.fail(pos, "expected '-'");
        pos++;
      }
      const r = part(pos);
      if (!r) return null;
      out.push(r.v);
      pos = r.p;
    }
    return { v: out, p: pos };
  }

  time(p: number): Result<Pick<CalendarEvent, 'hour' | 'minute' | 'second'>> {
    const hourField = this.field(0, 24)(p);
    const withHour = hourField && this.text[hourField.p] === ':';
    const minute = this.field(0, 60)(withHour ? hourField.p + 1 : p);
    if (!minute) return null;
    const hour = withHour ? hourField.v : [];
    const second = this.text[minute.p] === ':' ? this.field(0, 60)(minute.p + 1) : null;
    if (!second) return { v: { hour, minute: minute.v, second: ZERO }, p: minute.p };
    return { v: { hour, minute: minute.v, second: second.v }, p: second.p };
  }
}

export function keywordEvent(text: string, utc: boolean): CalendarEvent | undefined {
  const preset = Object.hasOwn(KEYWORDS, text) ? KEYWORDS[text] : undefined;
  if (!preset) return undefined;
  return { utc, days: 0, second: [], minute: [], hour: [], day: [], month: [], year: [], ...preset };
}

export { ZERO as ZERO_FIELD };
