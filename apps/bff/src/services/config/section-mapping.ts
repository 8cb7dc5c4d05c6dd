/**
 * Typed entries over a section-config file: each property of a section (kebab-case key, text
 * value) maps to a camelCase field of a type validated by an api-types zod schema. Property
 * strings become nested objects. PBS writes properties in sorted key order (its section writer
 * goes through a sorted map), so we do too.
 */
import type { z } from 'zod';
import { AppError } from '@pbs/api-types';
import { formatPropertyString, parsePropertyString, sectionProperties, type Section } from '@pbs/config';

export type FieldKind =
  | { kind: 'string' }
  | { kind: 'boolean' }
  | { kind: 'integer' }
  | { kind: 'strings' }
  | { kind: 'property-string'; defaultKey?: string; fields: Record<string, FieldKind> };

export interface SectionMapping<T> {
  type: string;
  /** the field that holds the section id */
  idField: keyof T & string;
  schema: z.ZodType<T>;
  /** kebab-case key → kind; the camelCase field name is derived from the key */
  fields: Record<string, FieldKind>;
}

const camel = (key: string) => key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

function parseBool(text: string): boolean | string {
  const lower = text.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(lower)) return true;
  if (['0', 'false', 'no', 'off'].includes(lower)) return false;
  return text; // left for the schema to reject, naming the field
}

function decodeValue(kind: FieldKind, values: string[]): unknown {
  const text = values[0] ?? '';
  switch (kind.kind) {
    case 'string':
      return text;
    case 'boolean':
      return parseBool(text);
    case 'integer':
      return /^-?\d+$/.test(text) ? Number(text) : text;
    case 'strings':
      return values;
    case 'property-string': {
      const raw = parsePropertyString(text, kind.defaultKey);
      return Object.fromEntries(
        Object.entries(raw).map(([k, v]) => [
          camel(k),
          decodeValue(kind.fields[k] ?? { kind: 'string' }, [v]),
        ]),
      );
    }
  }
}

function encodeValue(kind: FieldKind, value: unknown): string[] {
  if (kind.kind === 'strings') return (value as unknown[]).map(String);
  if (kind.kind === 'property-string') {
    const entries = Object.entries(kind.fields).map(([k]) => [
      k,
      (value as Record<string, unknown>)[camel(k)],
    ]);
    const record = Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as Record<
      string,
      string | number | boolean
    >;
    return [formatPropertyString(record, kind.defaultKey)];
  }
  return [String(value)];
}

export function readSection<T>(mapping: SectionMapping<T>, section: Section, file: string): T {
  const raw: Record<string, unknown> = { [mapping.idField]: section.id };
  for (const [key] of section.properties) {
    const kind = mapping.fields[key];
    if (kind === undefined) {
      throw new AppError(
        'CORRUPT_DATA',
        `config file '${file}': ${section.type} '${section.id}': unknown property '${key}'`,
      );
    }
    raw[camel(key)] = decodeValue(kind, sectionProperties(section, key));
  }
  const parsed = mapping.schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw new AppError(
      'CORRUPT_DATA',
      `config file '${file}': ${section.type} '${section.id}': ${where}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

export function writeSection<T>(mapping: SectionMapping<T>, item: T): Array<[string, string]> {
  const record = item as Record<string, unknown>;
  const props: Array<[string, string]> = [];
  for (const key of Object.keys(mapping.fields).sort()) {
    const value = record[camel(key)];
    if (value === undefined) continue;
    const kind = mapping.fields[key] ?? { kind: 'string' };
    for (const text of encodeValue(kind, value)) props.push([key, text]);
  }
  return props;
}
