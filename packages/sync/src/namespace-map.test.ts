import { describe, expect, it } from 'vitest';
import { checkSyncDepth, depthBelow, isUnderNs, mapNamespace } from './namespace-map.js';

describe('namespace mapping', () => {
  it('keeps the relative path below the base', () => {
    expect(mapNamespace('', '', '')).toBe('');
    expect(mapNamespace('a/b', '', '')).toBe('a/b');
    expect(mapNamespace('', '', 'mirror')).toBe('mirror');
    expect(mapNamespace('a/b', '', 'mirror')).toBe('mirror/a/b');
    expect(mapNamespace('src', 'src', '')).toBe('');
    expect(mapNamespace('src/x/y', 'src', 'dst/z')).toBe('dst/z/x/y');
  });

  it('refuses results deeper than 7 levels and namespaces outside the base', () => {
    expect(() => mapNamespace('a/b/c/d', '', 'p/q/r/s')).toThrow(/deeper than 7 levels/);
    expect(mapNamespace('a/b/c', '', 'p/q/r/s')).toBe('p/q/r/s/a/b/c');
    expect(() => mapNamespace('other', 'src', '')).toThrow(/not below/);
    expect(isUnderNs('srcx', 'src')).toBe(false);
    expect(isUnderNs('src/x', 'src')).toBe(true);
  });

  it('checks that both sides leave room for max-depth', () => {
    expect(() => checkSyncDepth('a/b', '', 5)).not.toThrow();
    expect(() => checkSyncDepth('a/b', '', 6)).toThrow(/source namespace 'a\/b'/);
    expect(() => checkSyncDepth('', 'x/y/z', 5)).toThrow(/target namespace/);
    expect(() => checkSyncDepth('a/b/c/d/e/f/g', 'x', undefined)).not.toThrow();
    expect(depthBelow('a/b/c', 'a')).toBe(2);
  });
});
