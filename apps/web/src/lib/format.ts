/** Formatting for dates, durations, byte sizes and rates: one place, the same everywhere. */
import dayjs from 'dayjs';

export function formatEpoch(epoch: number | undefined | null): string {
  if (epoch === undefined || epoch === null) return '';
  return dayjs.unix(epoch).format('YYYY-MM-DD HH:mm:ss');
}

export function formatDuration(seconds: number | undefined | null): string {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds) || seconds < 0) return '';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (d > 0) return `${d}d ${h}h ${m}m`;
  if (h > 0) return `${h}h ${m}m ${rest}s`;
  return `${m}m ${rest}s`;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

export function formatBytes(bytes: number | undefined | null): string {
  if (bytes === undefined || bytes === null || !Number.isFinite(bytes)) return '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${bytes < 0 ? '-' : ''}${value.toFixed(digits)} ${UNITS[unit] ?? 'B'}`;
}

export function formatRate(bytesPerSecond: number | undefined | null): string {
  const text = formatBytes(bytesPerSecond);
  return text === '' ? '' : `${text}/s`;
}

export function formatPercent(fraction: number | undefined | null, digits = 1): string {
  if (fraction === undefined || fraction === null || !Number.isFinite(fraction)) return '';
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** Expire fields: epoch seconds, 0 = never (PBS). */
export function formatExpire(epoch: number): string {
  return epoch === 0 ? 'never' : dayjs.unix(epoch).format('YYYY-MM-DD');
}

/** 'YYYY-MM-DD' (a date input) → epoch seconds of that local day's start, or the end with `endOfDay`. */
export function dateToEpoch(date: string | null | undefined, endOfDay = false): number | undefined {
  if (date === null || date === undefined || date === '') return undefined;
  const day = dayjs(date);
  if (!day.isValid()) return undefined;
  return (endOfDay ? day.endOf('day') : day.startOf('day')).unix();
}

export function epochToDate(epoch: number | undefined): string | null {
  return epoch === undefined || epoch === 0 ? null : dayjs.unix(epoch).format('YYYY-MM-DD');
}

/** PBS's deduplication factor (index bytes / disk bytes of the last GC), e.g. '2.35'. */
export function formatDedup(factor: number | null | undefined): string {
  if (factor === null || factor === undefined || !Number.isFinite(factor))
    return 'not known before the first GC';
  return factor.toFixed(2);
}

/** The linear-regression estimate of when a datastore fills up. */
export function formatEstimatedFull(epoch: number | null | undefined): string {
  if (epoch === null || epoch === undefined) return 'no estimate (no growth yet)';
  const now = Date.now() / 1000;
  if (epoch <= now) return 'now';
  return dayjs.unix(epoch).format('YYYY-MM-DD');
}

export function formatDate(epoch: number | null | undefined): string {
  if (epoch === null || epoch === undefined) return '';
  return dayjs.unix(epoch).format('YYYY-MM-DD');
}
