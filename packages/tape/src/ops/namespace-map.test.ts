import { describe, expect, it } from 'vitest';
import { mapNamespace } from './restore.js';

describe('restore namespace mapping', () => {
  it.each([
    ['', undefined, ''],
    ['a/b', undefined, 'a/b'],
    ['a/b', [{ source: '', target: 'restored' }], 'restored/a/b'],
    ['', [{ source: '', target: 'restored' }], 'restored'],
    ['a/b', [{ source: 'a', target: 'x' }], 'x/b'],
    ['a', [{ source: 'a', target: '' }], ''],
    ['ab', [{ source: 'a', target: 'x' }], undefined],
    ['a/b/c', [{ source: 'a', target: 'x', maxDepth: 1 }], undefined],
    ['a/b', [{ source: 'a', target: 'x', maxDepth: 1 }], 'x/b'],
    [
      'a/b',
      [
        { source: 'z', target: 'x' },
        { source: 'a', target: 'y' },
      ],
      'y/b',
    ],
  ])('%j with %j → %j', (ns, mappings, expected) => {
    expect(mapNamespace(ns, mappings)).toBe(expected);
  });
});
