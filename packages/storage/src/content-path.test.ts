import { describe, expect, it } from 'vitest';
import { contentPathComponents, isLocalStateFile, isNamespaceDir } from './content-path.js';

describe('content paths', () => {
  it('splits valid relative paths into components', () => {
    expect(contentPathComponents('ns/a/vm/100/2024-01-01T00:00:00Z/index.json.blob', 's')).toEqual([
      'ns',
      'a',
      'vm',
      '100',
      '2024-01-01T00:00:00Z',
      'index.json.blob',
    ]);
    expect(contentPathComponents('', 's', true)).toEqual([]);
    expect(contentPathComponents('.gc-status', 's')).toEqual(['.gc-status']);
  });

  it('names the storage and the path when it refuses one', () => {
    expect(() => contentPathComponents('a/../b', 'store1')).toThrow(
      "storage 'store1': invalid path 'a/../b'",
    );
  });

  it('tells datastore-local state from content an object store keeps', () => {
    expect(isLocalStateFile('.gc-status')).toBe(true);
    expect(isLocalStateFile('.lock')).toBe(true);
    expect(isLocalStateFile('vm/100/.protected')).toBe(false);
    expect(isLocalStateFile('vm')).toBe(false);
  });

  it('recognises namespace directories', () => {
    expect(isNamespaceDir('ns/a')).toBe(true);
    expect(isNamespaceDir('ns/a/ns/b')).toBe(true);
    expect(isNamespaceDir('ns')).toBe(false);
    expect(isNamespaceDir('ns/a/vm')).toBe(false);
    expect(isNamespaceDir('vm/100')).toBe(false);
  });
});
