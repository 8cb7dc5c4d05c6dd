/**
 * Exclude patterns as the PBS client takes them: `--exclude` arguments, `.pxarexclude` files
 * read in every directory (lines relative to that directory when they start with '/'), and the
 * `.pxarexclude-cli` text that records the command-line patterns inside the archive.
 */
import { MatchEntry, MatchFlag } from './match-list.js';
import { PatternError } from './pattern.js';

/** Lexical normalisation (pbs-client tools.rs `normalize_lexically`): drops '.', resolves '..'. */
export function normalizeLexically(path: Buffer): Buffer {
  const text = path.toString('latin1');
  const absolute = text.startsWith('/');
  const trailing = text.endsWith('/');
  const out: string[] = [];
  for (const part of text.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  let result = (absolute ? '/' : '') + out.join('/');
  if (trailing && result !== '' && !result.endsWith('/')) result += '/';
  return Buffer.from(result, 'latin1');
}

/** A `--exclude` argument. Throws PatternError for a malformed pattern. */
export function parseExcludeArg(arg: string | Buffer): MatchEntry {
  return MatchEntry.parse(
    normalizeLexically(typeof arg === 'string' ? Buffer.from(arg, 'utf8') : arg),
    'exclude',
  );
}

function stripAsciiWhitespace(line: Buffer): Buffer {
  const ws = (b: number | undefined): boolean =>
    b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d;
  let start = 0;
  let end = line.length;
  while (start < end && ws(line[start])) start++;
  while (end > start && ws(line[end - 1])) end--;
  return line.subarray(start, end);
}

export interface ParsedExcludes {
  entries: MatchEntry[];
  /** Lines that were not valid patterns (PBS logs and skips them). */
  errors: string[];
  /** True when a pattern contained '.' or '..' segments and was normalised. */
  sanitized: boolean;
}

/**
 * The patterns of a `.pxarexclude` in the directory at `dirPath` (relative to the archive root,
 * "" for the root): `/x` is anchored at that directory, `!` includes, `#` comments.
 */
export function parsePxarExclude(content: Buffer, dirPath: Buffer): ParsedExcludes {
  const result: ParsedExcludes = { entries: [], errors: [], sanitized: false };
  const base =
    dirPath.length > 0 && dirPath[0] !== 0x2f ? Buffer.concat([Buffer.from('/'), dirPath]) : dirPath;
  let start = 0;
  while (start <= content.length) {
    let end = content.indexOf(0x0a, start);
    if (end < 0) end = content.length;
    const line = stripAsciiWhitespace(content.subarray(start, end));
    start = end + 1;
    if (line.length === 0 || line[0] === 0x23) continue;
    let text: Buffer;
    let type: 'include' | 'exclude' = 'exclude';
    let anchored = false;
    if (line[0] === 0x2f) {
      text = Buffer.concat([base, line]);
      anchored = true;
    } else if (line[0] === 0x21 && line[1] === 0x2f) {
      text = Buffer.concat([base, line.subarray(1)]);
      type = 'include';
      anchored = true;
    } else if (line[0] === 0x21) {
      text = line.subarray(1);
      type = 'include';
    } else {
      text = line;
    }
    const normalized = normalizeLexically(text);
    if (!normalized.equals(text)) result.sanitized = true;
    try {
      const entry = MatchEntry.parse(normalized, type);
      result.entries.push(anchored ? entry.withFlags(MatchFlag.ANCHORED) : entry);
    } catch (err) {
      if (!(err instanceof PatternError)) throw err;
      result.errors.push(`bad pattern ${JSON.stringify(line.toString('utf8'))}: ${err.message}`);
    }
  }
  return result;
}

/** The `.pxarexclude-cli` content for the command-line patterns (includes get a '!'). */
export function generatePxarExcludesCli(patterns: readonly MatchEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const p of patterns) {
    if (p.type === 'include') parts.push(Buffer.from('!'));
    parts.push(p.pattern.text);
    if (p.flags === MatchFlag.MATCH_DIRECTORIES && p.pattern.text[p.pattern.text.length - 1] !== 0x2f) {
      parts.push(Buffer.from('/'));
    }
    parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}
