/** Prune keep options in forms: an empty field means the rule is not used. */
import { KEEP_OPTION_KEYS, type KeepOptions } from '@pbs/api-types';

export type KeepKey = (typeof KEEP_OPTION_KEYS)[number];
export type KeepValues = Record<KeepKey, number | string>;

export const KEEP_LABELS: Record<KeepKey, string> = {
  keepLast: 'Keep last',
  keepHourly: 'Keep hourly',
  keepDaily: 'Keep daily',
  keepWeekly: 'Keep weekly',
  keepMonthly: 'Keep monthly',
  keepYearly: 'Keep yearly',
};

export function keepValuesOf(options: KeepOptions | undefined): KeepValues {
  const values = {} as KeepValues;
  for (const key of KEEP_OPTION_KEYS) values[key] = options?.[key] ?? '';
  return values;
}

/** The set keep options; '' and non-numbers are left out (0 is kept, so the schema rejects it). */
export function keepOptionsOf(values: KeepValues): KeepOptions {
  const options: KeepOptions = {};
  for (const key of KEEP_OPTION_KEYS) {
    const value = values[key];
    if (typeof value === 'number' && Number.isFinite(value)) options[key] = value;
  }
  return options;
}

/** Keep options that were set before and are empty now (for an update's `delete` list). */
export function clearedKeepOptions(before: KeepOptions, values: KeepValues): KeepKey[] {
  return KEEP_OPTION_KEYS.filter((key) => before[key] !== undefined && typeof values[key] !== 'number');
}

/** 'last 3, daily 7' — how a job's rules read in a grid. */
export function describeKeep(options: KeepOptions): string {
  const parts = KEEP_OPTION_KEYS.filter((key) => options[key] !== undefined).map(
    (key) => `${KEEP_LABELS[key].replace('Keep ', '')} ${options[key]}`,
  );
  return parts.length === 0 ? 'keep all' : parts.join(', ');
}
