/**
 * Broken-down time that can be moved forward field by field, like proxmox-time's TmEditor over
 * mktime/timegm: out-of-range fields normalise (the 32nd day is the 1st of the next month).
 *
 * In local time the editor never moves backwards: a wall time inside a DST gap resolves past the
 * gap, and an ambiguous one (the repeated hour) to the occurrence that is not before the current
 * moment. Every step of the next-event search moves forward, so results stay after `last`.
 */

const HOUR_MS = 3_600_000;

function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d); // unlike Date.UTC, years 0–99 are not taken as 19xx
  t.setUTCHours(h, mi, s, 0);
  return t.getTime();
}

function localMs(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const t = new Date(2000, 0, 1, 12); // noon: changing the date alone never lands in a DST gap
  t.setFullYear(y, mo - 1, d);
  t.setHours(h, mi, s, 0);
  return t.getTime();
}

function offsetMs(ms: number): number {
  return -new Date(ms).getTimezoneOffset() * 60_000;
}

export class TmEditor {
  year = 1970;
  month = 1;
  day = 1;
  hour = 0;
  min = 0;
  sec = 0;
  /** 0 = Sunday, as tm_wday */
  private wday = 4;
  private ms: number;

  private constructor(
    private readonly utc: boolean,
    epochSec: number,
  ) {
    this.ms = epochSec * 1000;
    this.load();
  }

  static withEpoch(epochSec: number, utc: boolean): TmEditor {
    return new TmEditor(utc, epochSec);
  }

  intoEpoch(): number {
    return Math.floor(this.ms / 1000);
  }

  /** Monday = 0 … Sunday = 6 */
  dayNum(): number {
    return (this.wday + 6) % 7;
  }

  addYears(n: number): void {
    if (n !== 0) this.set(this.year + n, 1, 1, 0, 0, 0);
  }

  addMonths(n: number): void {
    if (n !== 0) this.set(this.year, this.month + n, 1, 0, 0, 0);
  }

  addDays(n: number): void {
    if (n !== 0) this.set(this.year, this.month, this.day + n, 0, 0, 0);
  }

  setTime(hour: number, min: number, sec: number): void {
    this.set(this.year, this.month, this.day, hour, min, sec);
  }

  setMinSec(min: number, sec: number): void {
    this.set(this.year, this.month, this.day, this.hour, min, sec);
  }

  setSec(sec: number): void {
    this.set(this.year, this.month, this.day, this.hour, this.min, sec);
  }

  private set(y: number, mo: number, d: number, h: number, mi: number, s: number): void {
    this.ms = this.utc ? utcMs(y, mo, d, h, mi, s) : this.resolveLocal(y, mo, d, h, mi, s);
    this.load();
  }

  private resolveLocal(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
    const first = localMs(y, mo, d, h, mi, s); // JS takes the earlier of two occurrences
    if (first >= this.ms) return first;
    const wall = utcMs(y, mo, d, h, mi, s);
    const later = wall - offsetMs(first + 3 * HOUR_MS);
    const isSameWallTime = later + offsetMs(later) === wall;
    return later > first && later >= this.ms && isSameWallTime ? later : first;
  }

  private load(): void {
    const t = new Date(this.ms);
    if (this.utc) {
      [this.year, this.month, this.day] = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
      [this.hour, this.min, this.sec, this.wday] = [
        t.getUTCHours(),
        t.getUTCMinutes(),
        t.getUTCSeconds(),
        t.getUTCDay(),
      ];
    } else {
      [this.year, this.month, this.day] = [t.getFullYear(), t.getMonth() + 1, t.getDate()];
      [this.hour, this.min, this.sec, this.wday] = [t.getHours(), t.getMinutes(), t.getSeconds(), t.getDay()];
    }
  }
}
