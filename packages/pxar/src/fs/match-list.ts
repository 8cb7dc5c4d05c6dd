/**
 * Include/exclude lists as PBS evaluates them (pathpatterns `MatchEntry`/`MatchList`): the LAST
 * matching entry decides; no match means "no decision" (the caller's default applies). A leading
 * `!` inverts the entry's type; trailing slashes restrict it to directories; unanchored patterns
 * match any path suffix that starts after a '/', anchored ones the whole path.
 */
import { Pattern } from './pattern.js';
import { mode } from '../format/constants.js';

export type MatchType = 'include' | 'exclude';

export const MatchFlag = {
  ANCHORED: 0x0001,
  MATCH_DIRECTORIES: 0x0100,
  MATCH_REGULAR_FILES: 0x0200,
  MATCH_SYMLINKS: 0x0400,
  MATCH_SOCKETS: 0x0800,
  MATCH_FIFOS: 0x1000,
  MATCH_CHARDEVS: 0x2000,
  MATCH_BLOCKDEVS: 0x4000,
  ANY_FILE_TYPE: 0x7f00,
} as const;

const TYPE_FLAGS = new Map<number, number>([
  [mode.IFDIR, MatchFlag.MATCH_DIRECTORIES],
  [mode.IFREG, MatchFlag.MATCH_REGULAR_FILES],
  [mode.IFLNK, MatchFlag.MATCH_SYMLINKS],
  [mode.IFSOCK, MatchFlag.MATCH_SOCKETS],
  [mode.IFIFO, MatchFlag.MATCH_FIFOS],
  [mode.IFCHR, MatchFlag.MATCH_CHARDEVS],
  [mode.IFBLK, MatchFlag.MATCH_BLOCKDEVS],
]);

export class MatchEntry {
  constructor(
    readonly pattern: Pattern,
    readonly type: MatchType,
    readonly flags: number = MatchFlag.ANY_FILE_TYPE,
  ) {}

  /** `MatchEntry::parse_pattern` with PATH_NAME: `!` inverts, trailing '/' means directories. */
  static parse(text: Buffer | string, type: MatchType): MatchEntry {
    let p = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    let t = type;
    if (p[0] === 0x21) {
      p = p.subarray(1);
      t = type === 'include' ? 'exclude' : 'include';
    }
    let end = p.length;
    while (end > 0 && p[end - 1] === 0x2f) end--;
    const dirsOnly = end !== p.length;
    return new MatchEntry(
      new Pattern(end === 0 ? Buffer.from('/') : p.subarray(0, end)),
      t,
      dirsOnly ? MatchFlag.MATCH_DIRECTORIES : MatchFlag.ANY_FILE_TYPE,
    );
  }

  withFlags(add: number): MatchEntry {
    return new MatchEntry(this.pattern, this.type, this.flags | add);
  }

  get anchored(): boolean {
    return (this.flags & MatchFlag.ANCHORED) !== 0;
  }

  needsFileMode(): boolean {
    const f = this.flags & MatchFlag.ANY_FILE_TYPE;
    return f !== 0 && f !== MatchFlag.ANY_FILE_TYPE;
  }

  matchesMode(fileMode: number): boolean {
    if (!this.needsFileMode()) return true;
    const flag = TYPE_FLAGS.get(fileMode & mode.IFMT);
    return flag !== undefined && (this.flags & flag) !== 0;
  }

  matchesPath(path: Buffer): boolean {
    if (this.anchored) return this.pattern.matches(path);
    if (path.length === 0) return false;
    for (let start = path.length - 1; start >= 0; start--) {
      if (path[start] === 0x2f && this.pattern.matches(path.subarray(start + 1))) return true;
    }
    return this.pattern.matches(path);
  }

  matches(path: Buffer, fileMode: number | null): boolean {
    if (fileMode !== null && !this.matchesMode(fileMode)) return false;
    return this.matchesPath(path);
  }
}

/**
 * The decision of a list for `path`: the last matching entry's type, or null. `getMode` is only
 * called (once) when an entry depends on the file type, as PBS avoids the stat.
 */
export function matchList(
  list: readonly MatchEntry[],
  path: Buffer,
  getMode: () => number,
): MatchType | null {
  let fileMode: number | null = null;
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i] as MatchEntry;
    if (fileMode === null && m.needsFileMode()) fileMode = getMode();
    if (m.matches(path, fileMode)) return m.type;
  }
  return null;
}
