import { describe, expect, it } from 'vitest';
import { MediaCatalog } from './media-catalog.js';

const M = '11111111-2222-4333-8444-555555555555';
const S = '66666666-7777-4888-8999-aaaaaaaaaaaa';
const A = 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff';
const d = (n: number) => n.toString(16).padStart(64, '0');

function sample(): MediaCatalog {
  const c = new MediaCatalog('test');
  c.registerLabel(M, 0, 0);
  c.registerLabel(S, 3, 1);
  c.startChunkArchive(A, 2, 'store1');
  c.registerChunk(d(1));
  c.registerChunk(d(2));
  c.endChunkArchive();
  c.registerSnapshot(A, 3, 'store1', 'ns/a/vm/100/2024-01-01T00:00:00Z');
  c.skipFile(4);
  c.registerSnapshot(A, 5, 'store1', 'host/h/2024-01-02T00:00:00Z');
  return c;
}

describe('media catalog', () => {
  it('encodes PBS records with natural alignment padding', () => {
    const raw = sample().encode();
    expect(raw.subarray(0, 8).toString('hex')).toBe('4c8ee8c120a88971');
    // L: type + 32
    expect(String.fromCharCode(raw[8] ?? 0)).toBe('L');
    expect(raw.readBigUInt64LE(9)).toBe(0n);
    expect(raw.subarray(17, 33).toString('hex')).toBe(M.replace(/-/g, ''));
    expect(String.fromCharCode(raw[41] ?? 0)).toBe('L');
    expect(raw.readBigUInt64LE(42 + 24)).toBe(3n);
    // A: type + 32 + store name
    const a = 74;
    expect(String.fromCharCode(raw[a] ?? 0)).toBe('A');
    expect(raw[a + 1 + 24]).toBe(6);
    expect(raw.subarray(a + 1 + 25, a + 33).every((b) => b === 0)).toBe(true);
    expect(raw.subarray(a + 33, a + 39).toString()).toBe('store1');
    expect(String.fromCharCode(raw[a + 39] ?? 0)).toBe('C');
    const e = a + 39 + 66;
    expect(String.fromCharCode(raw[e] ?? 0)).toBe('E');
    const s = e + 25;
    expect(String.fromCharCode(raw[s] ?? 0)).toBe('S');
    expect(raw.readUInt16LE(s + 1 + 26)).toBe('ns/a/vm/100/2024-01-01T00:00:00Z'.length);
    expect(raw.subarray(s + 33, s + 33 + 7).toString()).toBe('store1:');
  });

  it('parses what it encodes', () => {
    const c = MediaCatalog.parse(sample().encode(), 'x');
    expect(c.mediaUuid).toBe(M);
    expect(c.mediaSetUuid).toBe(S);
    expect(c.mediaSetSeqNr).toBe(3);
    expect(c.chunkFile('store1', d(2))).toBe(2);
    expect(c.containsChunk('store2', d(2))).toBe(false);
    expect(c.snapshots().map((x) => [x.snapshot, x.fileNumber])).toEqual([
      ['ns/a/vm/100/2024-01-01T00:00:00Z', 3],
      ['host/h/2024-01-02T00:00:00Z', 5],
    ]);
    expect(c.lastFileNumber).toBe(5);
    expect(c.encode().equals(sample().encode())).toBe(true);
  });

  it.each([
    ['v1.0 magic', (r: Buffer) => Buffer.from('dd1da4013b451328', 'hex').copy(r, 0), /no longer supported/],
    ['wrong magic', (r: Buffer) => r.fill(1, 0, 8), /wrong magic/],
    ['unknown record type', (r: Buffer) => (r[8] = 0x58), /unknown entry type/],
    ['snapshot separator missing', (r: Buffer) => r.write('#', r.indexOf('store1:', 150) + 6), /separator/],
  ])('%s is CORRUPT_DATA', (_n, damage, msg) => {
    const raw = sample().encode();
    damage(raw);
    expect(() => MediaCatalog.parse(raw, 'x')).toThrow(msg);
  });

  it('a truncated catalog and out-of-order files are CORRUPT_DATA', () => {
    const raw = sample().encode();
    expect(() => MediaCatalog.parse(raw.subarray(0, raw.length - 3), 'x')).toThrow(/truncated/);
    const c = sample();
    expect(() => c.registerSnapshot(A, 5, 'store1', 'host/h/2024-01-03T00:00:00Z')).toThrow(/after file 5/);
    expect(() => c.registerChunk(d(3))).toThrow(/outside of a chunk archive/);
  });
});
