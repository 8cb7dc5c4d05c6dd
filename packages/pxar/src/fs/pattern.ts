/**
 * Glob patterns as PBS interprets them (the `pathpatterns` crate, a port of git's wildmatch):
 * `*` and `?` never match '/' in path mode, `**` spans directories when it stands between
 * slashes (or at an end), `[...]` classes with ranges, negation (`^`) and `[:name:]` classes,
 * `\` escapes. Matching works on raw bytes.
 */

type CharClass = {
  negated: boolean;
  listed: number[];
  ranges: [number, number][];
  named: ((b: number) => boolean)[];
};

type Component =
  | { t: 'lit'; bytes: Buffer }
  | { t: 'any1' }
  | { t: 'star' }
  | { t: 'starstar' }
  | { t: 'class'; c: CharClass };

const enum Result {
  Match,
  NoMatch,
  AbortAll,
  AbortToStarStar,
}

const isAlpha = (b: number): boolean => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;
const isPunct = (b: number): boolean =>
  (b >= 0x21 && b <= 0x2f) ||
  (b >= 0x3a && b <= 0x40) ||
  (b >= 0x5b && b <= 0x60) ||
  (b >= 0x7b && b <= 0x7e);
const NAMED: Record<string, (b: number) => boolean> = {
  alnum: (b) => isAlpha(b) || isDigit(b),
  alpha: isAlpha,
  blank: (b) => b === 0x20 || b === 0x09,
  cntrl: (b) => b < 0x20 || b === 0x7f,
  digit: isDigit,
  graph: (b) => b > 0x20 && b < 0x7f,
  lower: (b) => b >= 0x61 && b <= 0x7a,
  print: (b) => b >= 0x20 && b <= 0x7f,
  punct: isPunct,
  space: (b) => b === 0x20 || (b >= 0x09 && b <= 0x0d),
  upper: (b) => b >= 0x41 && b <= 0x5a,
  xdigit: (b) => isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66),
};

export class PatternError extends Error {}

function parseClass(p: Buffer, begin: number): [CharClass, number] {
  let i = begin + 1;
  const c: CharClass = { negated: false, listed: [], ranges: [], named: [] };
  if (p[i] === 0x5e) {
    c.negated = true;
    i++;
  }
  if (i === p.length)
    throw new PatternError(`unclosed character class in pattern, starting at byte ${begin}`);
  let prev: number | null = null;
  for (; i < p.length; i++) {
    const ch = p[i] as number;
    let next: number | null = null;
    if (ch === 0x5b && p[i + 1] === 0x3a) {
      const close = p.indexOf(':]', i + 2);
      const fn = close < 0 ? undefined : NAMED[p.subarray(i + 2, close).toString('latin1')];
      if (fn === undefined)
        throw new PatternError(`malformed named character class in pattern, starting at byte ${begin}`);
      c.named.push(fn);
      i = close + 1;
    } else if (ch === 0x5d) {
      break;
    } else if (ch === 0x5c) {
      i++;
      if (i >= p.length) throw new PatternError('trailing backslash in pattern');
      c.listed.push(p[i] as number);
      next = p[i] as number;
    } else if (ch === 0x2d && prev !== null) {
      c.listed.pop(); // the range start was listed as a plain character
      i++;
      let end = p[i];
      if (end === 0x5c) end = p[++i];
      if (end === undefined)
        throw new PatternError(`unclosed character class in pattern, starting at byte ${begin}`);
      c.ranges.push(prev <= end ? [prev, end] : [end, prev]);
    } else {
      c.listed.push(ch);
      next = ch;
    }
    prev = next;
  }
  return [c, i];
}

function classMatches(c: CharClass, b: number): boolean {
  const hit =
    c.listed.includes(b) || c.ranges.some(([lo, hi]) => b >= lo && b <= hi) || c.named.some((f) => f(b));
  return hit !== c.negated;
}

export class Pattern {
  /** The pattern text without trailing slashes (what PBS writes back into .pxarexclude-cli). */
  readonly text: Buffer;
  private readonly comps: Component[];

  constructor(
    pattern: Buffer | string,
    readonly pathName = true,
  ) {
    let p = typeof pattern === 'string' ? Buffer.from(pattern, 'utf8') : pattern;
    if (p.length === 0) throw new PatternError('empty pattern');
    let end = p.length;
    while (end > 0 && p[end - 1] === 0x2f) end--;
    p = end === 0 ? Buffer.from('/') : p.subarray(0, end);
    if (p.includes(0)) throw new PatternError('null-byte in pattern');
    this.text = Buffer.from(p);
    this.comps = Pattern.parse(p);
  }

  private static parse(p: Buffer): Component[] {
    const comps: Component[] = [];
    let lit: number[] = [];
    const flush = (): void => {
      if (lit.length > 0) comps.push({ t: 'lit', bytes: Buffer.from(lit) });
      lit = [];
    };
    for (let i = 0; i < p.length; i++) {
      const ch = p[i] as number;
      if (ch === 0x5c) {
        if (++i >= p.length) throw new PatternError('trailing backslash in pattern');
        lit.push(p[i] as number);
      } else if (ch === 0x3f) {
        flush();
        comps.push({ t: 'any1' });
      } else if (ch === 0x2a) {
        flush();
        if (p[i + 1] !== 0x2a) {
          comps.push({ t: 'star' });
          continue;
        }
        const beg = i++;
        while (p[i + 1] === 0x2a) i++;
        const ok = (beg === 0 || p[beg - 1] === 0x2f) && (i + 1 === p.length || p[i + 1] === 0x2f);
        comps.push({ t: ok ? 'starstar' : 'star' });
      } else if (ch === 0x5b) {
        flush();
        const [c, end] = parseClass(p, i);
        comps.push({ t: 'class', c });
        i = end;
      } else {
        lit.push(ch);
      }
    }
    flush();
    return comps;
  }

  matches(text: Buffer | string): boolean {
    const t = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    return this.run(0, t, 0, false) === Result.Match;
  }

  private endsWithSlash(ci: number): boolean {
    const c = this.comps[ci];
    return c?.t === 'lit' && c.bytes[c.bytes.length - 1] === 0x2f;
  }

  private startsWithSlash(ci: number): boolean {
    const c = this.comps[ci];
    return c?.t === 'lit' && c.bytes[0] === 0x2f;
  }

  /** git's wildmatch, component by component; `at` indexes into `t`. */
  private run(ci: number, t: Buffer, at: number, skipSlash: boolean): Result {
    for (; ci < this.comps.length; ci++) {
      const c = this.comps[ci] as Component;
      const skip = skipSlash;
      skipSlash = false;
      if (c.t === 'lit') {
        if (at >= t.length) return Result.AbortAll;
        const lit = skip ? c.bytes.subarray(1) : c.bytes;
        if (at + lit.length > t.length || !t.subarray(at, at + lit.length).equals(lit)) return Result.NoMatch;
        at += lit.length;
      } else if (c.t === 'any1' || c.t === 'class') {
        if (at >= t.length) return Result.AbortAll;
        const b = t[at] as number;
        if (c.t === 'any1' ? b === 0x2f && this.pathName : !classMatches(c.c, b)) return Result.NoMatch;
        at++;
      } else if (c.t === 'star' && this.pathName) {
        return this.star(ci, t, at);
      } else {
        return this.starStar(ci, t, at, c.t === 'starstar');
      }
    }
    return at === t.length ? Result.Match : Result.NoMatch;
  }

  private star(ci: number, t: Buffer, at: number): Result {
    if (ci + 1 === this.comps.length && !t.subarray(at).includes(0x2f)) return Result.Match;
    for (; ; at++) {
      if (at >= t.length) return Result.AbortAll;
      const r = this.run(ci + 1, t, at, false);
      if (r !== Result.NoMatch) return r;
      if (t[at] === 0x2f) return Result.AbortToStarStar;
    }
  }

  private starStar(ci: number, t: Buffer, at: number, isStarStar: boolean): Result {
    if (ci + 1 === this.comps.length) return Result.Match;
    if (isStarStar && (ci === 0 || this.endsWithSlash(ci - 1)) && this.startsWithSlash(ci + 1)) {
      // let `foo/**/bar` match `foo/bar`: try the `**` as nothing, skipping the next '/'
      if (this.run(ci + 1, t, at, true) === Result.Match) return Result.Match;
    }
    for (; ; at++) {
      if (at >= t.length) return Result.AbortAll;
      const r = this.run(ci + 1, t, at, false);
      if (r !== Result.NoMatch && r !== Result.AbortToStarStar) return r;
    }
  }
}
