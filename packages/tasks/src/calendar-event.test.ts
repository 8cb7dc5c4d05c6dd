import { describe, expect, it } from 'vitest';
import { computeNextEvent, parseCalendarEvent, verifyCalendarEvent } from './calendar-event.js';
import { expectAppError } from './testing/app-error.js';

// Local-zone cases run in a fixed zone with DST (no DST in Germany before 1980).
process.env.TZ = 'Europe/Berlin';

const MIN = 60;
const HOUR = 3600;
const DAY = 86_400;
const THURSDAY_00_00 = 0;
const THURSDAY_15_00 = 15 * HOUR;
const JUL_31_2020 = 1_596_153_600; // Friday
const DEC_31_2020 = 1_609_372_800; // Thursday

/** Ported from proxmox-time's test_compute_next_event: [event, last, expected], UTC wall times. */
const table: Array<[string, number, number]> = [
  ['0', THURSDAY_00_00, THURSDAY_00_00 + HOUR],
  ['*', THURSDAY_00_00, THURSDAY_00_00 + MIN],
  ['*:0', THURSDAY_00_00, THURSDAY_00_00 + HOUR],
  ['*:*', THURSDAY_00_00, THURSDAY_00_00 + MIN],
  ['*:*:*', THURSDAY_00_00, THURSDAY_00_00 + 1],
  ['*:3:5', THURSDAY_00_00, THURSDAY_00_00 + 3 * MIN + 5],
  ['mon *:*', THURSDAY_00_00, THURSDAY_00_00 + 4 * DAY],
  ['mon 2:*', THURSDAY_00_00, THURSDAY_00_00 + 4 * DAY + 2 * HOUR],
  ['mon 2:50', THURSDAY_00_00, THURSDAY_00_00 + 4 * DAY + 2 * HOUR + 50 * MIN],
  ['tue', THURSDAY_00_00, THURSDAY_00_00 + 5 * DAY],
  ['wed', THURSDAY_00_00, THURSDAY_00_00 + 6 * DAY],
  ['thu', THURSDAY_00_00, THURSDAY_00_00 + 7 * DAY],
  ['fri', THURSDAY_00_00, THURSDAY_00_00 + DAY],
  ['sat', THURSDAY_00_00, THURSDAY_00_00 + 2 * DAY],
  ['sun', THURSDAY_00_00, THURSDAY_00_00 + 3 * DAY],
  ['4..10/2:0', THURSDAY_00_00, THURSDAY_00_00 + 4 * HOUR],
  ['4..10/2:0', THURSDAY_00_00 + 5 * HOUR, THURSDAY_00_00 + 6 * HOUR],
  ['4..10/2:0', THURSDAY_00_00 + 11 * HOUR, THURSDAY_00_00 + DAY + 4 * HOUR],
  ['5,10:4,8', THURSDAY_00_00, THURSDAY_00_00 + 5 * HOUR + 4 * MIN],
  ['10,5:8,4', THURSDAY_00_00, THURSDAY_00_00 + 5 * HOUR + 4 * MIN],
  ['6,4..10:23,5/5', THURSDAY_00_00, THURSDAY_00_00 + 4 * HOUR + 5 * MIN],
  ['4..10,6:5/5,23', THURSDAY_00_00, THURSDAY_00_00 + 4 * HOUR + 5 * MIN],
  ['sat', JUL_31_2020, JUL_31_2020 + DAY],
  ['sun', JUL_31_2020, JUL_31_2020 + 2 * DAY],
  ['mon', JUL_31_2020, JUL_31_2020 + 3 * DAY],
  ['tue', JUL_31_2020, JUL_31_2020 + 4 * DAY],
  ['wed', JUL_31_2020, JUL_31_2020 + 5 * DAY],
  ['thu', JUL_31_2020, JUL_31_2020 + 6 * DAY],
  ['fri', JUL_31_2020, JUL_31_2020 + 7 * DAY],
  ['fri', DEC_31_2020, DEC_31_2020 + DAY],
  ['sat', DEC_31_2020, DEC_31_2020 + 2 * DAY],
  ['sun', DEC_31_2020, DEC_31_2020 + 3 * DAY],
  ['mon', DEC_31_2020, DEC_31_2020 + 4 * DAY],
  ['tue', DEC_31_2020, DEC_31_2020 + 5 * DAY],
  ['wed', DEC_31_2020, DEC_31_2020 + 6 * DAY],
  ['thu', DEC_31_2020, DEC_31_2020 + 7 * DAY],
  ['daily', THURSDAY_00_00, THURSDAY_00_00 + DAY],
  ['daily', THURSDAY_00_00 + 1, THURSDAY_00_00 + DAY],
  ['5/2:0', THURSDAY_00_00, THURSDAY_00_00 + 5 * HOUR],
  ['5/2:0', THURSDAY_00_00 + 5 * HOUR, THURSDAY_00_00 + 7 * HOUR],
  ['5/2:0', THURSDAY_00_00 + 7 * HOUR, THURSDAY_00_00 + 9 * HOUR],
  ['5/2:0', THURSDAY_00_00 + 9 * HOUR, THURSDAY_00_00 + 11 * HOUR],
  ['1:0', THURSDAY_15_00, THURSDAY_00_00 + DAY + HOUR],
  ['2020-07-31', 0, JUL_31_2020],
  ['02-28', 0, (31 + 27) * DAY],
  ['02-29', 0, 2 * 365 * DAY + (31 + 28) * DAY],
  ['1965/5-01-01', -1, THURSDAY_00_00],
  ['2020-7..9-2/2', JUL_31_2020, JUL_31_2020 + 2 * DAY],
  ['2020,2021-12-31', JUL_31_2020, DEC_31_2020],
  ['minutely', THURSDAY_00_00, THURSDAY_00_00 + MIN],
  ['hourly', THURSDAY_00_00, THURSDAY_00_00 + HOUR],
  ['weekly', THURSDAY_00_00, THURSDAY_00_00 + 4 * DAY],
  ['monthly', 0, 31 * DAY],
  ['quarterly', 0, (31 + 28 + 31) * DAY],
  ['semiannually', 0, (31 + 28 + 31 + 30 + 31 + 30) * DAY],
  ['semi-annually', 0, (31 + 28 + 31 + 30 + 31 + 30) * DAY],
  ['yearly', 0, 365 * DAY],
  ['annually', 0, 365 * DAY],
  // the schedules named in our API and PBS's documentation
  ['mon..fri *:00', 0, HOUR],
  ['mon..fri 02:00', JUL_31_2020, JUL_31_2020 + 2 * HOUR],
  ['mon..fri 02:00', JUL_31_2020 + 3 * HOUR, JUL_31_2020 + 3 * DAY + 2 * HOUR],
  ['*:0/15', JUL_31_2020 + 14 * MIN, JUL_31_2020 + 15 * MIN],
  ['*:0/15', JUL_31_2020 + 45 * MIN, JUL_31_2020 + HOUR],
  ['sat *-1..7 15:00', JUL_31_2020, JUL_31_2020 + DAY + 15 * HOUR], // Sat 2020-08-01
  ['sat *-1..7 15:00', JUL_31_2020 + DAY + 16 * HOUR, 1_596_898_800 + 28 * DAY], // Sat 2020-09-05: 08-08 is past the 7th
  ['sat *-1..7 15:00', DEC_31_2020, DEC_31_2020 + 2 * DAY + 15 * HOUR], // Sat 2021-01-02
  ['2026-12-24 18:00', JUL_31_2020, 1_798_135_200],
  ['12,14,16,18,20,22:5', JUL_31_2020, JUL_31_2020 + 12 * HOUR + 5 * MIN],
  ['12,14,16,18,20,22:5', JUL_31_2020 + 22 * HOUR + 5 * MIN, JUL_31_2020 + DAY + 12 * HOUR + 5 * MIN],
  ['mon,tue,wed *-*-* 22:00', JUL_31_2020, JUL_31_2020 + 3 * DAY + 22 * HOUR],
  ['fri..mon 12:00', THURSDAY_00_00 + 2 * DAY + 13 * HOUR, THURSDAY_00_00 + 3 * DAY + 12 * HOUR],
  ['*-*-31 00:00', JUL_31_2020 + 1, JUL_31_2020 + 31 * DAY],
];

/** The same wall-clock time in the local zone. */
function asLocal(utcEpoch: number): number {
  const d = new Date(utcEpoch * 1000);
  const local = new Date(
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  );
  return local.getTime() / 1000;
}

describe('computeNextEvent', () => {
  it.each(table)("'%s' after %i (UTC suffix)", (text, last, expected) => {
    expect(computeNextEvent(parseCalendarEvent(`${text} UTC`), last, false)).toBe(expected);
  });

  it.each(table)("'%s' after %i (utc argument)", (text, last, expected) => {
    expect(computeNextEvent(parseCalendarEvent(text), last, true)).toBe(expected);
  });

  it.each(table)("'%s' after %i (local zone)", (text, last, expected) => {
    expect(computeNextEvent(parseCalendarEvent(text), asLocal(last), false)).toBe(asLocal(expected));
  });

  it('chains: every result is the start of the next search', () => {
    const chain = (text: string, from: number, step: number, count: number): void => {
      const event = parseCalendarEvent(text);
      let n = from;
      for (let i = 1; i < count; i++) {
        n = computeNextEvent(event, n, true) ?? NaN;
        expect(n).toBe(from + i * step);
      }
    };
    chain('*:*', THURSDAY_00_00, MIN, 100);
    chain('*:0', THURSDAY_00_00, HOUR, 100);
    chain('1:0', THURSDAY_00_00 + HOUR, DAY, 100);
  });

  it.each([
    ['2021-02-29', 0],
    ['02-30', 0],
    ['2019-01-01', JUL_31_2020],
  ])("'%s' never fires", (text, last) => {
    expect(computeNextEvent(parseCalendarEvent(text), last, true)).toBeNull();
  });

  it('lets a UTC suffix win over local evaluation', () => {
    expect(computeNextEvent(parseCalendarEvent('daily UTC'), 0, false)).toBe(DAY);
    expect(computeNextEvent(parseCalendarEvent('daily'), 0, false)).toBe(DAY - HOUR); // Berlin is UTC+1
  });
});

describe('computeNextEvent across DST (Europe/Berlin)', () => {
  const utc = (iso: string): number => Date.parse(iso) / 1000;

  it('moves a time inside the spring-forward gap on, as mktime does: that day has no 02:30', () => {
    const event = parseCalendarEvent('02:30');
    expect(computeNextEvent(event, utc('2025-03-29T01:30:00Z'), false)).toBe(utc('2025-03-31T00:30:00Z'));
  });

  it('continues a quarter-hour schedule right after the gap', () => {
    const event = parseCalendarEvent('*:0/15');
    expect(computeNextEvent(event, utc('2025-03-30T00:45:00Z'), false)).toBe(utc('2025-03-30T01:00:00Z'));
  });

  it('never goes back into the first pass of the repeated hour', () => {
    // 02:30 CET is the second 02:30 of 2025-10-26; JS alone would map 02:45 to the first one
    const event = parseCalendarEvent('*:45');
    const last = utc('2025-10-26T01:30:00Z');
    expect(computeNextEvent(event, last, false)).toBe(utc('2025-10-26T01:45:00Z'));
  });

  it('yields strictly increasing quarter hours through the fall-back night', () => {
    const event = parseCalendarEvent('*:0/15');
    let last = utc('2025-10-25T22:00:00Z');
    for (let i = 0; i < 24; i++) {
      const next = computeNextEvent(event, last, false) ?? NaN;
      expect(next).toBeGreaterThan(last);
      expect(next - last).toBeLessThanOrEqual(75 * MIN);
      expect(new Date(next * 1000).getMinutes() % 15).toBe(0);
      last = next;
    }
  });
});

describe('parseCalendarEvent', () => {
  it.each([
    'mon,wed..fri',
    'fri..mon',
    'mon',
    'MON',
    'monDay',
    'Tuesday',
    'wednesday',
    'thursday',
    'friday',
    'saturday',
    'sunday',
    'mon..fri',
    'mon,tue,fri',
    'mon,tue..wednesday,fri..sat',
    '*:0/15 UTC',
    'sat *-1..7 15:00',
    'mon *-*-* 1:2:3',
    '*/2:0',
  ])("accepts '%s'", (text) => {
    expect(() => verifyCalendarEvent(text)).not.toThrow();
  });

  it('reads weekday ranges wrapping over the weekend', () => {
    expect(parseCalendarEvent('fri..mon').days).toBe(0b1110001);
    expect(parseCalendarEvent('mon,wed..fri').days).toBe(0b0011101);
  });

  it('keeps the backtracking of the nom grammar: a list stops before an entry that does not fit', () => {
    // '25' is no hour, so '25:00' is minute 25, second 0 of every hour, as in PBS
    const event = parseCalendarEvent('25:00');
    expect(event.hour).toEqual([]);
    expect(event.minute).toEqual([{ kind: 'single', value: 25 }]);
  });

  it.each([
    ['', /date or time/],
    ['mon..fry', /weekday 'fry'/],
    ['daily 02:00', /weekday 'daily'/],
    ['2021-13-01', /'13' too large.*at '13-01'/],
    ['12:61', /'61' too large/],
    ['10..5:00', /range start is bigger than end/],
    ['mon..fri 2:00 foo', /unexpected text at ' foo'/],
    ['*/x', /expected a number at 'x'/],
  ])("rejects '%s' saying what is wrong", async (text, message) => {
    const err = await expectAppError(() => parseCalendarEvent(text), 'INVALID_ARGUMENT');
    expect(err.message).toContain(`calendar event '${text}'`);
    expect(err.message).toMatch(message);
  });
});
