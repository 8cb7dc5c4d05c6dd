import { describe, expect, it } from 'vitest';
import {
  badChunkFileName,
  chunkPrefixOf,
  parseChunkFileName,
  prefixDirName,
  usingMarkerFileName,
} from './chunk-names.js';

const D = 'bb9f8df61474d25e71fa00722318cd387396ca1736605e1248821cc0de3d3af8';

describe('chunk file names', () => {
  it('recognises chunks, bad chunks and using markers as PBS does', () => {
    expect(parseChunkFileName(D)).toEqual({ digest: D, kind: 'chunk' });
    expect(parseChunkFileName(badChunkFileName(D, 7))).toEqual({ digest: D, kind: 'bad', badIndex: 7 });
    expect(parseChunkFileName(usingMarkerFileName(D))).toEqual({ digest: D, kind: 'using' });
  });

  it('ignores temp files, upper case, short names and other suffixes', () => {
    for (const name of [
      `${D}.tmp_AbC123`,
      D.toUpperCase(),
      D.slice(1),
      `${D}.10.bad`,
      `${D}.a.bad`,
      `${D}.bad`,
      `${D}x`,
    ]) {
      expect(parseChunkFileName(name)).toBeUndefined();
    }
  });

  it('derives the prefix dir from the first two digest bytes as 4 lowercase hex digits', () => {
    expect(chunkPrefixOf(D)).toBe('bb9f');
    expect(prefixDirName(0)).toBe('0000');
    expect(prefixDirName(0xabc)).toBe('0abc');
    expect(prefixDirName(0xffff)).toBe('ffff');
  });
});
