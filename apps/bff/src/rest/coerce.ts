/**
 * PBS REST ↔ tRPC shapes. Inputs: kebab-case parameters (strings from forms and query strings)
 * become the camelCase input of a procedure, coerced by the type its zod schema expects, so the
 * schema still validates and names the field. Outputs: camelCase keys become kebab-case.
 */
import type { z } from 'zod';
import { bool, list, num, str, type RestArgs } from './params.js';

export const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

interface ZodInternals {
  _zod: { def: { type: string; innerType?: z.ZodType } };
}

function baseType(schema: z.ZodType): string {
  let def = (schema as unknown as ZodInternals)._zod.def;
  while (['optional', 'default', 'nullable', 'prefault'].includes(def.type) && def.innerType !== undefined) {
    def = (def.innerType as unknown as ZodInternals)._zod.def;
  }
  return def.type;
}

/** Scalar fields of `schema` read from `args` by their kebab-case (or camelCase) name. */
export function inputFrom(
  schema: z.ZodObject<Record<string, z.ZodType>>,
  args: RestArgs,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const name = args[kebab(key)] !== undefined ? kebab(key) : key;
    const type = baseType(field);
    const value =
      type === 'number'
        ? num(args, name)
        : type === 'boolean'
          ? bool(args, name)
          : type === 'array'
            ? list(args, name)
            : type === 'object'
              ? undefined
              : str(args, name);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** PBS's flat group and snapshot parameters (`backup-type`, `backup-id`, `backup-time`). */
export function groupFrom(args: RestArgs) {
  const type = str(args, 'backup-type');
  const id = str(args, 'backup-id');
  return type === undefined && id === undefined ? undefined : { type: type ?? '', id: id ?? '' };
}

export function snapshotFrom(args: RestArgs) {
  const group = groupFrom(args);
  const time = num(args, 'backup-time');
  return group === undefined || time === undefined ? undefined : { ...group, time };
}

/** Deep camelCase → kebab-case of object keys, as PBS's JSON uses. */
export function toKebab(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toKebab);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [kebab(k), toKebab(v)]));
}
