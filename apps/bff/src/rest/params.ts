/**
 * PBS REST parameters arrive as query strings, form bodies or JSON, with kebab-case names and
 * booleans spelled 0/1/true/false. These helpers turn them into typed values; anything malformed
 * is left to the zod schema of the procedure the route calls, which names the field.
 */
export type RestArgs = Record<string, unknown>;

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function str(args: RestArgs, key: string): string | undefined {
  const raw: unknown = args[key];
  const value = scalar(Array.isArray(raw) ? (raw as unknown[])[0] : raw);
  return value === '' ? undefined : value;
}

export function bool(args: RestArgs, key: string): boolean | undefined {
  const value = args[key];
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  const text = scalar(value)?.toLowerCase() ?? '';
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  return value as boolean; // the schema rejects it with a message naming the field
}

export function num(args: RestArgs, key: string): number | undefined {
  const value = args[key];
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'number') return value;
  const parsed = Number(scalar(value));
  return Number.isNaN(parsed) ? (value as number) : parsed;
}

export function list(args: RestArgs, key: string): string[] | undefined {
  const value = args[key] ?? args[`${key}[]`];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? (value as unknown[]) : [value]).map((v) => scalar(v) ?? '');
}

/** Drops undefined entries so optional procedure inputs stay absent. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
