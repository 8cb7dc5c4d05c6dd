import { describe, expect, it } from 'vitest';
import { DynamicIndexReader } from './dynamic-index.js';
import { FixedIndexReader } from './fixed-index.js';
import { readVector } from './testing/vectors.js';

const FIDX = readVector('datastore/host/vec-plain/2023-11-14T22:13:20Z/disk.img.fidx');
const DIDX = readVector('datastore/host/vec-plain/2023-11-14T22:13:20Z/root.pxar.didx');

function patched(buf: Buffer, mutate: (b: Buffer) => void): Buffer {
  const copy = Buffer.from(buf);
  mutate(copy);
  return copy;
}

function corruptMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toMatchObject({ name: 'AppError', code: 'CORRUPT_DATA' });
    return (err as Error).message;
  }
  throw new Error('expected CORRUPT_DATA');
}

describe('fixed index corruption', () => {
  const decode = (buf: Buffer) => () => FixedIndexReader.decode(buf, "fixed index 'disk.img.fidx'");

  it.each([
    ['truncated below the header', FIDX.subarray(0, 4095), 'index too small (4095 bytes)'],
    ['bad magic', patched(FIDX, (b) => b.fill(0, 0, 8)), 'got unknown magic number 0000000000000000'],
    [
      'a missing digest',
      FIDX.subarray(0, FIDX.length - 32),
      'wrong file size (expected 4192 bytes for 3 chunks, got 4160)',
    ],
    [
      'an extra byte',
      Buffer.concat([FIDX, Buffer.alloc(1)]),
      'wrong file size (expected 4192 bytes for 3 chunks, got 4193)',
    ],
    [
      'a non-power-of-two chunk size',
      patched(FIDX, (b) => b.writeUInt32LE(3_000_000, 72)),
      'got non-power-of-two chunk size: 3000000',
    ],
    ['a zero chunk size', patched(FIDX, (b) => b.writeUInt32LE(0, 72)), 'got non-power-of-two chunk size: 0'],
    ['a size of 0', patched(FIDX, (b) => b.fill(0, 64, 72)), 'fixed index has no chunks'],
    ['a size beyond 2^53', patched(FIDX, (b) => b.writeUInt32LE(0xffffffff, 68)), 'size too large'],
  ])('names the file and the fault for %s', (_case, buf, message) => {
    expect(corruptMessage(decode(buf))).toBe(`fixed index 'disk.img.fidx': ${message}`);
  });

  it('reports a wrong index checksum on verification', () => {
    const index = FixedIndexReader.decode(
      patched(FIDX, (b) => (b[4096] = (b[4096] ?? 0) ^ 1)),
      'f',
    );
    expect(corruptMessage(() => index.verifyCsum())).toMatch(
      /^f: index checksum mismatch \(stored 35635a1a[0-9a-f]{56}, computed [0-9a-f]{64}\)$/,
    );
  });
});

describe('dynamic index corruption', () => {
  const decode = (buf: Buffer) => () => DynamicIndexReader.decode(buf, "dynamic index 'root.pxar.didx'");

  it.each([
    ['truncated below the header', DIDX.subarray(0, 100), 'index too small (100 bytes)'],
    ['bad magic', patched(DIDX, (b) => (b[0] = 0)), 'got unknown magic number 00914ea519bab3cd'],
    [
      'a torn entry',
      DIDX.subarray(0, DIDX.length - 1),
      'wrong file size (39 entry bytes are not a multiple of 40)',
    ],
    [
      'decreasing end offsets',
      Buffer.concat([DIDX, patched(DIDX.subarray(4096), (b) => b.writeUInt32LE(10, 0))]),
      'end offset of chunk 1 decreases (10 < 75640)',
    ],
  ])('names the file and the fault for %s', (_case, buf, message) => {
    expect(corruptMessage(decode(buf))).toBe(`dynamic index 'root.pxar.didx': ${message}`);
  });

  it('reports a wrong index checksum on verification', () => {
    const index = DynamicIndexReader.decode(
      patched(DIDX, (b) => (b[33] = (b[33] ?? 0) ^ 1)),
      'd',
    );
    expect(corruptMessage(() => index.verifyCsum())).toMatch(/^d: index checksum mismatch \(stored /);
  });

  it('accepts an empty dynamic index with size 0', () => {
    const empty = DynamicIndexReader.decode(DIDX.subarray(0, 4096), 'd');
    expect([empty.count, empty.indexBytes, empty.chunkFromOffset(0)]).toEqual([0, 0, undefined]);
  });
});
