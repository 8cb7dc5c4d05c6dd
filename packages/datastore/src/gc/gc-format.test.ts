import { describe, expect, it } from 'vitest';
import { DigestLru } from './digest-lru.js';
import { emptyGcStatus, formatGcStatus, parseGcStatus } from './gc-status.js';
import { formatHumanByte, formatTimeSpan } from './human-format.js';

describe('.gc-status', () => {
  it('is serde_json of GarbageCollectionStatus: kebab-case, PBS field order, cache-stats optional', () => {
    const status = { ...emptyGcStatus('UPID:x'), diskBytes: 5, cacheStats: { hits: 1, misses: 2 } };
    expect(formatGcStatus(status)).toBe(
      '{"upid":"UPID:x","index-file-count":0,"index-data-bytes":0,"disk-bytes":5,"disk-chunks":0,"removed-bytes":0,"removed-chunks":0,"pending-bytes":0,"pending-chunks":0,"removed-bad":0,"still-bad":0,"cache-stats":{"hits":1,"misses":2}}',
    );
    expect(parseGcStatus(formatGcStatus(status))).toEqual(status);
    expect(formatGcStatus(emptyGcStatus(null))).not.toContain('cache-stats');
  });

  it('reads files of older PBS versions with missing fields as zeros', () => {
    expect(parseGcStatus('{"upid":null,"disk-bytes":7}')).toEqual({ ...emptyGcStatus(null), diskBytes: 7 });
    expect(() => parseGcStatus('[')).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
  });
});

describe('log formats', () => {
  it('prints sizes like proxmox HumanByte (binary units, three decimals at most)', () => {
    expect(formatHumanByte(0)).toBe('0 B');
    expect(formatHumanByte(1023)).toBe('1023 B');
    expect(formatHumanByte(1024)).toBe('1 KiB');
    expect(formatHumanByte(1536)).toBe('1.5 KiB');
    expect(formatHumanByte(200_000)).toBe('195.313 KiB');
    expect(formatHumanByte(5 * 1024 ** 3)).toBe('5 GiB');
  });

  it('prints spans like proxmox TimeSpan', () => {
    expect(formatTimeSpan(1445 * 60)).toBe('1d 5m');
    expect(formatTimeSpan(60)).toBe('1m');
    expect(formatTimeSpan(8 * 86_400 + 1)).toBe('1w 1d 1s');
  });
});

describe('DigestLru', () => {
  it('reports hits, evicts the least recently used beyond capacity', () => {
    const lru = new DigestLru(2);
    expect([
      lru.touch('a'),
      lru.touch('b'),
      lru.touch('a'),
      lru.touch('c'),
      lru.touch('b'),
      lru.touch('a'),
    ]).toEqual([false, false, true, false, false, false]);
    expect([lru.hits, lru.misses]).toEqual([1, 5]);
  });
});
