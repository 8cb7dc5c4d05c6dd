import { describe, expect, it } from 'vitest';
import { mode } from '../format/constants.js';
import {
  generatePxarExcludesCli,
  normalizeLexically,
  parseExcludeArg,
  parsePxarExclude,
} from './excludes.js';
import { MatchEntry, MatchFlag, matchList } from './match-list.js';
import { Pattern, PatternError } from './pattern.js';

const m = (p: string, t: string): boolean => new Pattern(p).matches(t);

describe('Pattern (pathpatterns / wildmatch)', () => {
  it('matches * within one path component only', () => {
    expect(m('/hey/*/you', '/hey/asdf/you')).toBe(true);
    expect(m('/hey/*/you', '/hey/asdf/more/you')).toBe(false);
    expect(m('/hey/*/you', '/heyasdf/you')).toBe(false);
    expect(m('/hey/*/you', '/hey/you')).toBe(false);
    expect(m('/hey/*/you', '/hey//you')).toBe(true);
    expect(new Pattern('/hey/*/you', false).matches('/hey/asdf/more/you')).toBe(true);
  });

  it('matches ** across directories, also as nothing', () => {
    for (const t of ['/hey/asdf/you', '/hey/asdf/more/you', '/hey/you', '/hey//you'])
      expect(m('/hey/**/you', t)).toBe(true);
    for (const t of ['/heyasdf/you', '/heyasdfyou', '/hey/asdfyou']) expect(m('/hey/**/you', t)).toBe(false);
    expect(m('**/x', 'a/b/x')).toBe(true);
    expect(m('a/**', 'a/b/c')).toBe(true);
    expect(m('a**b', 'a/b')).toBe(false); // ** glued to text is a plain *
  });

  it('supports classes, ranges, negation, named classes, ? and escapes', () => {
    expect(m('/he[yx]/**/you', '/hex/asdf/you')).toBe(true);
    expect(m('/he[yx]/**/you', '/hez/asdf/you')).toBe(false);
    expect(m('/he[^yx]/**/you', '/hez/you')).toBe(true);
    expect(m('/he[^yx]/**/you', '/hey/you')).toBe(false);
    expect(m('/tes[a-t]', '/test')).toBe(true);
    expect(m('/tes[a-t]', '/tesu')).toBe(false);
    expect(m('/tes[a-t]/a?a', '/test/aba')).toBe(true);
    expect(m('/tes[a-t]/a?a', '/test/a/a')).toBe(false);
    expect(m('[[:digit:]][[:upper:]]', '1A')).toBe(true);
    expect(m('[[:digit:]][[:upper:]]', '1a')).toBe(false);
    expect(m('a\\*b', 'a*b')).toBe(true);
    expect(m('a\\*b', 'axb')).toBe(false);
    expect(m('x[a\\]]', 'x]')).toBe(true);
  });

  it('rejects malformed patterns', () => {
    expect(() => new Pattern('')).toThrow(PatternError);
    expect(() => new Pattern('abc\\')).toThrow(/trailing backslash/);
    expect(() => new Pattern('[')).toThrow(/unclosed/);
    expect(() => new Pattern('[[:nope:]]')).toThrow(/malformed/);
  });
});

describe('MatchEntry and match lists', () => {
  const list = [
    MatchEntry.parse('a_dir/', 'include'),
    new MatchEntry(new Pattern('a_file'), 'exclude', MatchFlag.MATCH_REGULAR_FILES),
    MatchEntry.parse('!another_dir//', 'include'),
  ];
  const dir = (): number => mode.IFDIR;
  const reg = (): number => mode.IFREG;

  it('applies file-type restrictions and inverts with !', () => {
    expect(matchList(list, Buffer.from('a_dir'), dir)).toBe('include');
    expect(matchList(list, Buffer.from('/a_dir'), dir)).toBe('include');
    expect(matchList(list, Buffer.from('/a_dir'), reg)).toBeNull();
    expect(matchList(list, Buffer.from('/a_file'), reg)).toBe('exclude');
    expect(matchList(list, Buffer.from('/a_file'), dir)).toBeNull();
    expect(matchList(list, Buffer.from('/another_dir'), dir)).toBe('exclude');
    expect(matchList(list, Buffer.from('/another_dir'), reg)).toBeNull();
  });

  it('lets the last match win and matches unanchored patterns as path suffixes', () => {
    const l = [MatchEntry.parse('*.log', 'exclude'), MatchEntry.parse('!keep.log', 'exclude')];
    expect(matchList(l, Buffer.from('/x/y.log'), reg)).toBe('exclude');
    expect(matchList(l, Buffer.from('/x/keep.log'), reg)).toBe('include');
    expect(matchList([MatchEntry.parse('file-a', 'include')], Buffer.from('another/file-a'), reg)).toBe(
      'include',
    );
    const anchored = MatchEntry.parse('some/path', 'include').withFlags(MatchFlag.ANCHORED);
    expect(matchList([anchored], Buffer.from('some/path'), reg)).toBe('include');
    expect(matchList([anchored], Buffer.from('another/some/path'), reg)).toBeNull();
  });

  it('stats only when an entry needs the file type', () => {
    let calls = 0;
    const getMode = (): number => {
      calls++;
      return mode.IFREG;
    };
    matchList([MatchEntry.parse('*.bin', 'exclude')], Buffer.from('/a.bin'), getMode);
    expect(calls).toBe(0);
    matchList([MatchEntry.parse('cache/', 'exclude')], Buffer.from('/cache'), getMode);
    expect(calls).toBe(1);
  });
});

describe('exclude files and arguments', () => {
  it('normalises lexically like the PBS client', () => {
    const n = (s: string): string => normalizeLexically(Buffer.from(s)).toString();
    expect(n('/a/./b/../c/')).toBe('/a/c/');
    expect(n('./x')).toBe('x');
    expect(n('../x')).toBe('x');
    expect(n('a//b')).toBe('a/b');
    expect(parseExcludeArg('./tmp/../cache/').pattern.text.toString()).toBe('cache');
  });

  it('parses .pxarexclude: comments, anchoring at the directory, includes, bad lines', () => {
    const parsed = parsePxarExclude(
      Buffer.from('  # c\n\n*.o \n/build\n!/build/keep\n!*.h\nbad\\\n'),
      Buffer.from('src/lib'),
    );
    expect(parsed.entries.map((e) => [e.pattern.text.toString(), e.type, e.anchored])).toEqual([
      ['*.o', 'exclude', false],
      ['/src/lib/build', 'exclude', true],
      ['/src/lib/build/keep', 'include', true],
      ['*.h', 'include', false],
    ]);
    expect(parsed.errors).toHaveLength(1);
    const root = parsePxarExclude(Buffer.from('/tmp'), Buffer.alloc(0));
    expect(root.entries[0]?.pattern.text.toString()).toBe('/tmp');
  });

  it('writes .pxarexclude-cli as PBS does', () => {
    const pats = ['*.bin', '!keep.bin', 'cache/', 'dirs//'].map((p) => parseExcludeArg(p));
    expect(generatePxarExcludesCli(pats).toString()).toBe('*.bin\n!keep.bin\ncache/\ndirs/\n');
  });
});
