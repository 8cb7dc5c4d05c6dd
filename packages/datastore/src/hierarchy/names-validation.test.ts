import { describe, expect, it } from 'vitest';
import { checkArchiveName } from './archive-name.js';
import {
  checkGroup,
  checkSnapshot,
  compareGroups,
  parseSnapshotDirName,
  snapshotDirName,
  snapshotDir,
} from './backup-ref.js';
import {
  clampMaxDepth,
  mapNamespacePrefix,
  namespaceDir,
  parseNamespace,
  pushNamespace,
} from './namespace.js';
import { formatSnapshotPath, parseSnapshotPath } from './snapshot-path.js';

const invalid = { name: 'AppError', code: 'INVALID_ARGUMENT' };

describe('namespaces', () => {
  it('parses the API form into validated components and lays them out under ns/ dirs', () => {
    expect(parseNamespace('')).toEqual([]);
    expect(parseNamespace('a/b_1/c.d-e')).toEqual(['a', 'b_1', 'c.d-e']);
    expect(namespaceDir(['a', 'b'])).toBe('ns/a/ns/b');
    expect(namespaceDir([])).toBe('');
  });

  it.each([
    ['..'],
    ['.'],
    ['a/..'],
    ['../etc'],
    ['/a'],
    ['a/'],
    ['a//b'],
    ['a\0b'],
    ['.hidden'],
    ['-dash'],
    ['a b'],
    ['ns\\x'],
  ])('rejects %j', (ns) => {
    expect(() => parseNamespace(ns)).toThrow(expect.objectContaining(invalid));
  });

  it('allows depth 7 and rejects depth 8', () => {
    const seven = 'a/b/c/d/e/f/g';
    expect(parseNamespace(seven)).toHaveLength(7);
    expect(() => parseNamespace(`${seven}/h`)).toThrow(/namespace too deep, 7 >= max 7/);
    expect(() => pushNamespace(parseNamespace(seven), 'h')).toThrow(expect.objectContaining(invalid));
  });

  it('allows 256 characters and rejects 257', () => {
    const ok = ['a'.repeat(200), 'b'.repeat(55)].join('/');
    expect(ok).toHaveLength(256);
    expect(parseNamespace(ok)).toHaveLength(2);
    expect(() => parseNamespace(`${ok}c`)).toThrow(/namespace length exceeded/);
  });

  it('rejects non-string input', () => {
    expect(() => parseNamespace(42 as unknown as string)).toThrow(expect.objectContaining(invalid));
  });

  it('clamps max-depth relative to the start and rejects out-of-range values', () => {
    expect(clampMaxDepth([])).toBe(7);
    expect(clampMaxDepth(['a', 'b'], 7)).toBe(5);
    expect(clampMaxDepth(['a'], 2)).toBe(2);
    expect(() => clampMaxDepth([], 8)).toThrow(expect.objectContaining(invalid));
    expect(() => clampMaxDepth([], -1)).toThrow(expect.objectContaining(invalid));
  });

  it('maps a prefix like BackupNamespace::map_prefix, enforcing the depth limit', () => {
    expect(mapNamespacePrefix(['a', 'b', 'c'], ['a'], ['x', 'y'])).toEqual(['x', 'y', 'b', 'c']);
    expect(() => mapNamespacePrefix(['a'], ['b'], [])).toThrow(/not a prefix/);
    expect(() => mapNamespacePrefix(['a', 'b'], ['a'], ['1', '2', '3', '4', '5', '6', '7'])).toThrow(
      /too deep/,
    );
  });
});

describe('groups and snapshots', () => {
  it.each([
    [{ type: 'vm', id: '..' }],
    [{ type: 'vm', id: '../x' }],
    [{ type: 'vm', id: 'a/b' }],
    [{ type: 'vm', id: '/abs' }],
    [{ type: 'vm', id: 'a\0' }],
    [{ type: 'vm', id: '' }],
    [{ type: 'vm', id: '.x' }],
    [{ type: 'vm', id: 'x'.repeat(256) }],
    [{ type: 'lxc', id: '100' }],
    [{ type: '../vm', id: '100' }],
  ])('rejects group %j', (group) => {
    expect(() => checkGroup(group as never)).toThrow(expect.objectContaining(invalid));
  });

  it('accepts PBS ids of up to 255 bytes', () => {
    expect(checkGroup({ type: 'host', id: 'a.b-c_D9' })).toEqual({ type: 'host', id: 'a.b-c_D9' });
    expect(checkGroup({ type: 'ct', id: 'x'.repeat(255) }).id).toHaveLength(255);
  });

  it.each([[0], [-1], [1.5], [Number.NaN], ['1700000000'], [253_402_300_800]])(
    'rejects backup time %j',
    (time) => {
      expect(() => checkSnapshot({ type: 'vm', id: '1', time: time as number })).toThrow(
        expect.objectContaining(invalid),
      );
    },
  );

  it('names snapshot directories by UTC RFC 3339 time and parses only exact names back', () => {
    expect(snapshotDirName(1752502802)).toBe('2025-07-14T14:20:02Z');
    expect(snapshotDirName(1)).toBe('1970-01-01T00:00:01Z');
    expect(parseSnapshotDirName('2025-07-14T14:20:02Z')).toBe(1752502802);
    expect(parseSnapshotDirName('2025-02-30T00:00:00Z')).toBeUndefined();
    expect(parseSnapshotDirName('2025-07-14T14:20:02.5Z')).toBeUndefined();
    expect(parseSnapshotDirName('2025-07-14 14:20:02Z')).toBeUndefined();
    expect(snapshotDir(['a'], { type: 'vm', id: '100', time: 1752502802 })).toBe(
      'ns/a/vm/100/2025-07-14T14:20:02Z',
    );
  });

  it('orders groups like PBS: ct < host < vm, numeric ids by value before other ids', () => {
    const groups = [
      { type: 'vm', id: 'web' },
      { type: 'vm', id: '100' },
      { type: 'host', id: 'b' },
      { type: 'vm', id: '20' },
      { type: 'ct', id: 'z' },
      { type: 'vm', id: '99999999999999999999' },
    ] as const;
    expect([...groups].sort(compareGroups).map((g) => `${g.type}/${g.id}`)).toEqual([
      'ct/z',
      'host/b',
      'vm/20',
      'vm/100',
      'vm/99999999999999999999',
      'vm/web',
    ]);
  });
});

describe('snapshot paths (§14)', () => {
  it('formats and parses both forms', () => {
    const snap = { type: 'vm', id: '100', time: 1752502802 } as const;
    expect(formatSnapshotPath('', snap)).toBe('vm/100/2025-07-14T14:20:02Z');
    expect(formatSnapshotPath('a/b', snap)).toBe('ns/a/ns/b/vm/100/2025-07-14T14:20:02Z');
    expect(parseSnapshotPath('ns/a/ns/b/vm/100/2025-07-14T14:20:02Z')).toEqual({ ns: 'a/b', snapshot: snap });
    expect(parseSnapshotPath('vm/100/2025-07-14T14:20:02Z')).toEqual({ ns: '', snapshot: snap });
  });

  it.each([
    ['vm/100'],
    ['x/a/vm/100/2025-07-14T14:20:02Z'],
    ['ns/../vm/100/2025-07-14T14:20:02Z'],
    ['ns//vm/100/2025-07-14T14:20:02Z'],
    ['ns/a/vm/../2025-07-14T14:20:02Z'],
    ['vm/100/2025-07-14T14:20:02'],
    ['/vm/100/2025-07-14T14:20:02Z'],
  ])('rejects %j', (path) => {
    expect(() => parseSnapshotPath(path)).toThrow(expect.objectContaining(invalid));
  });
});

describe('archive names', () => {
  it('types archives by extension and rejects anything that is not a safe file name', () => {
    expect(checkArchiveName('drive-scsi0.img.fidx')).toEqual({ name: 'drive-scsi0.img.fidx', kind: 'fixed' });
    expect(checkArchiveName('root.pxar.didx').kind).toBe('dynamic');
    expect(checkArchiveName('qemu-server.conf.blob').kind).toBe('blob');
    for (const bad of [
      '../x.blob',
      'a/b.didx',
      '.x.blob',
      'x.img',
      'x\0.blob',
      '',
      `${'a'.repeat(256)}.blob`,
    ]) {
      expect(() => checkArchiveName(bad)).toThrow(expect.objectContaining(invalid));
    }
    expect(() => checkArchiveName('x.blob', ['fixed', 'dynamic'])).toThrow(/'.fidx' or '.didx'/);
  });
});
