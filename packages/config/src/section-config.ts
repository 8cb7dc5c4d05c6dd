import { AppError } from '@pbs/api-types/errors';
import { SectionConfigData, type Section } from './section-config-data.js';

/*
 * Syntax as proxmox-section-config reads and writes it:
 *
 *   <type>: <id>
 *   \t<key> <value>
 *
 * A blank line ends a section; the writer puts exactly one blank line between sections and
 * ends the file with a newline. PBS itself has no comments; '#' lines are skipped here so
 * hand-edited files still load (they are not written back).
 */

const TYPE_REGEX = /^[A-Za-z][A-Za-z0-9_-]*$/;
const KEY_REGEX = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const ID_REGEX = /^[^\s\p{Cc}]+$/u;
const CONTROL_REGEX = /\p{Cc}/u;
const CONTROL_EXCEPT_TAB_REGEX = /[^\P{Cc}\t]/u;

function corrupt(file: string, line: number, why: string): AppError {
  return new AppError('CORRUPT_DATA', `config file '${file}' line ${line}: ${why}`, {
    details: { file, line },
  });
}

function parseHeader(line: string): { type: string; id: string } | string {
  const colon = line.indexOf(':');
  if (colon < 0) return "expected a section header '<type>: <id>'";
  const type = line.slice(0, colon).trim();
  const id = line.slice(colon + 1).trim();
  if (!TYPE_REGEX.test(type)) return `invalid section type '${type}'`;
  if (id === '') return `section '${type}' has no id`;
  if (!ID_REGEX.test(id)) return `invalid section id '${id}'`;
  return { type, id };
}

function parseProperty(line: string): [string, string] | string {
  const body = line.trimStart();
  const match = /^(\S+)(?:\s+(.*))?$/su.exec(body);
  if (!match) return 'expected a property line';
  const key = match[1] ?? '';
  const value = match[2];
  if (!KEY_REGEX.test(key)) return `invalid property name '${key}'`;
  if (value === undefined) return `property '${key}' has no value`;
  const trimmed = value.trim();
  if (CONTROL_REGEX.test(trimmed)) return `property '${key}' contains a control character`;
  return [key, trimmed];
}

/** Parses section-config text; `fileName` names the file in error messages. */
export function parseSectionConfig(text: string, fileName: string): SectionConfigData {
  const data = new SectionConfigData();
  const seen = new Set<string>();
  let current: Section | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i] ?? '';
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (CONTROL_EXCEPT_TAB_REGEX.test(line)) throw corrupt(fileName, lineNo, 'control character in line');
    if (line.trim() === '') {
      current = undefined;
      continue;
    }
    if (line.startsWith('#')) continue;
    const indented = /^\s/u.test(line);
    if (current === undefined) {
      if (indented) throw corrupt(fileName, lineNo, 'property line outside of a section');
      const header = parseHeader(line);
      if (typeof header === 'string') throw corrupt(fileName, lineNo, header);
      if (seen.has(header.id)) throw corrupt(fileName, lineNo, `duplicate section id '${header.id}'`);
      seen.add(header.id);
      current = { type: header.type, id: header.id, properties: [] };
      data.sections.push(current);
      continue;
    }
    if (!indented) {
      throw corrupt(
        fileName,
        lineNo,
        'expected an indented property line or a blank line before the next section',
      );
    }
    const property = parseProperty(line);
    if (typeof property === 'string') throw corrupt(fileName, lineNo, property);
    current.properties.push(property);
  }
  return data;
}

function invalid(message: string): AppError {
  return new AppError('INVALID_ARGUMENT', message);
}

function formatSection(section: Section): string {
  if (!TYPE_REGEX.test(section.type)) throw invalid(`invalid section type '${section.type}'`);
  if (!ID_REGEX.test(section.id)) throw invalid(`invalid section id '${section.id}'`);
  let out = `${section.type}: ${section.id}\n`;
  for (const [key, value] of section.properties) {
    if (!KEY_REGEX.test(key)) throw invalid(`section '${section.id}': invalid property name '${key}'`);
    if (CONTROL_REGEX.test(value)) {
      throw invalid(`section '${section.id}' property '${key}': value contains a control character`);
    }
    out += `\t${key} ${value}\n`;
  }
  return out;
}

/** Formats as PBS writes: sections in order, one blank line between them, final newline. */
export function formatSectionConfig(data: SectionConfigData): string {
  const ids = new Set<string>();
  for (const section of data.sections) {
    if (ids.has(section.id)) throw invalid(`duplicate section id '${section.id}'`);
    ids.add(section.id);
  }
  return data.sections.map(formatSection).join('\n');
}
