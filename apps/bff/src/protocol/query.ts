/** Typed reads of protocol query parameters; missing or malformed → INVALID_ARGUMENT naming it. */
import { AppError } from '@pbs/api-types';

export function required(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null || value === '')
    throw new AppError('INVALID_ARGUMENT', `parameter '${name}' is missing`);
  return value;
}

export function integer(query: URLSearchParams, name: string, min: number, max: number): number {
  const text = required(query, name);
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new AppError(
      'INVALID_ARGUMENT',
      `parameter '${name}': value '${text}' is not an integer in ${min}..${max}`,
    );
  }
  return value;
}

export function optionalInteger(
  query: URLSearchParams,
  name: string,
  min: number,
  max: number,
): number | undefined {
  return query.get(name) === null ? undefined : integer(query, name, min, max);
}

export function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value !== null && ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

export function digestParam(query: URLSearchParams, name: string): string {
  const value = required(query, name);
  if (!/^[0-9a-f]{64}$/.test(value)) {
    throw new AppError('INVALID_ARGUMENT', `parameter '${name}': '${value}' is not a sha256 hex digest`);
  }
  return value;
}
