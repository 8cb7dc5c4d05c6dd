/*
 * JSON text exactly as the Rust side writes it, for the manifest: serde_json's pretty printer
 * over a `Value` whose maps are sorted (BTreeMap: bytewise key order), and proxmox-serde's
 * canonical JSON for signatures (sorted keys, no whitespace, `null` is an error). Strings and
 * integers are encoded by JSON.stringify, whose escaping matches serde_json's.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Bytewise UTF-8 order, as Rust sorts `String` keys (not JS's UTF-16 code unit order). */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function sortedEntries(obj: { [key: string]: JsonValue }): [string, JsonValue][] {
  return Object.entries(obj).sort(([a], [b]) => compareKeys(a, b));
}

function scalar(value: JsonValue): string {
  return JSON.stringify(value);
}

function pretty(value: JsonValue, indent: string): string {
  if (value === null || typeof value !== 'object') return scalar(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + pretty(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = sortedEntries(value);
  if (entries.length === 0) return '{}';
  const lines = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pretty(v, inner)}`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

/** serde_json::to_string_pretty of a sorted Value: 2-space indent, no trailing newline. */
export function toPrettyJson(value: JsonValue): string {
  return pretty(value, '');
}

/** proxmox_serde::json::to_canonical_json; throws on `null`, which is not canonical. */
export function toCanonicalJson(value: JsonValue): string {
  if (value === null) throw new Error('got unexpected null value');
  if (typeof value !== 'object') return scalar(value);
  if (Array.isArray(value)) return `[${value.map(toCanonicalJson).join(',')}]`;
  const parts = sortedEntries(value).map(([k, v]) => `${JSON.stringify(k)}:${toCanonicalJson(v)}`);
  return `{${parts.join(',')}}`;
}
