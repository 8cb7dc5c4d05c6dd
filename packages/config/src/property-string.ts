import { AppError } from '@pbs/api-types/errors';

/*
 * PBS property strings (proxmox-schema property_string.rs): `key=value` pairs separated by ','.
 * A value may be double-quoted, with the escapes \" \\ and \n inside quotes. A value without a
 * key belongs to the schema's default key.
 */

const KEY_REGEX = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

function invalid(text: string, why: string): AppError {
  return new AppError('INVALID_ARGUMENT', `invalid property string '${text}': ${why}`);
}

/** Reads a quoted value starting at `start` (a '"'); returns the value and the index after it. */
function readQuoted(text: string, start: number): [string, number] {
  let out = '';
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') return [out, i + 1];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = text[++i];
    if (next === '"' || next === '\\') out += next;
    else if (next === 'n') out += '\n';
    else if (next === undefined) break;
    else throw invalid(text, `unsupported escape sequence '\\${next}'`);
  }
  throw invalid(text, 'unterminated quoted value');
}

function splitKey(text: string, pos: number): [string | undefined, number] {
  if (text[pos] === '"') return [undefined, pos];
  const comma = text.indexOf(',', pos);
  const equals = text.indexOf('=', pos);
  if (equals < 0 || (comma >= 0 && comma < equals)) return [undefined, pos];
  return [text.slice(pos, equals), equals + 1];
}

function readValue(text: string, pos: number): [string, number] {
  if (text[pos] === '"') {
    const [value, end] = readQuoted(text, pos);
    if (end < text.length && text[end] !== ',') throw invalid(text, 'garbage after quoted value');
    return [value, end + 1];
  }
  const comma = text.indexOf(',', pos);
  return comma < 0 ? [text.slice(pos), text.length] : [text.slice(pos, comma), comma + 1];
}

/** Parses 'k=v,k=v'; a keyless value is stored under `defaultKey`. */
export function parsePropertyString(text: string, defaultKey?: string): Record<string, string> {
  const result: Record<string, string> = {};
  let pos = 0;
  while (pos < text.length) {
    const [explicitKey, valueStart] = splitKey(text, pos);
    const key = explicitKey ?? defaultKey;
    if (key === undefined) throw invalid(text, 'value without a key');
    if (!KEY_REGEX.test(key)) throw invalid(text, `invalid key '${key}'`);
    if (Object.hasOwn(result, key)) throw invalid(text, `duplicate key '${key}'`);
    const [value, next] = readValue(text, valueStart);
    result[key] = value;
    pos = next;
  }
  return result;
}

function quote(value: string): string {
  return `"${value.replace(/[\\"\n]/g, (ch) => (ch === '\n' ? '\\n' : `\\${ch}`))}"`;
}

function needsQuotes(value: string, keyless: boolean): boolean {
  if (/[,"\\\n]/.test(value)) return true;
  return keyless && (value === '' || value.includes('='));
}

/**
 * Formats values in their insertion order, skipping undefined ones; the default key's value is
 * written without its key, as PBS does. Values are quoted only where the parser needs it.
 */
export function formatPropertyString(
  values: Record<string, string | number | boolean | undefined>,
  defaultKey?: string,
): string {
  const parts: string[] = [];
  for (const [key, raw] of Object.entries(values)) {
    if (raw === undefined) continue;
    if (!KEY_REGEX.test(key)) throw new AppError('INVALID_ARGUMENT', `invalid property string key '${key}'`);
    const value = String(raw);
    const keyless = key === defaultKey;
    const text = needsQuotes(value, keyless) ? quote(value) : value;
    parts.push(keyless ? text : `${key}=${text}`);
  }
  return parts.join(',');
}
