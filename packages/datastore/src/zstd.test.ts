import zstd from 'zstd-napi/binding.js';
import { describe, expect, it } from 'vitest';
import { compressInto, decompressBounded } from './zstd.js';

function streamedFrame(data: Buffer): Buffer {
  const out = Buffer.alloc(zstd.compressBound(data.length) + 64);
  const [, produced] = new zstd.CCtx().compressStream2(out, data, zstd.EndDirective.end);
  return out.subarray(0, produced);
}

describe('zstd helpers', () => {
  it('compresses into the given buffer, or reports that the result does not fit', () => {
    const src = Buffer.alloc(4096, 'abc');
    const dst = Buffer.alloc(src.length);
    const size = compressInto(dst, src);
    expect(size).toBeGreaterThan(0);
    expect(decompressBounded(dst.subarray(0, size), src.length).equals(src)).toBe(true);
    expect(compressInto(Buffer.alloc(0), Buffer.alloc(0))).toBeUndefined();
    expect(compressInto(Buffer.alloc(16), Buffer.from('incompressible!!'))).toBeUndefined();
  });

  it('decodes concatenated frames, with and without declared sizes', () => {
    const a = Buffer.alloc(70_000, 'a');
    const b = Buffer.alloc(3 * 1024 * 1024, 'xyz');
    const declared = Buffer.alloc(a.length);
    const n = compressInto(declared, a) ?? 0;
    const frames = Buffer.concat([declared.subarray(0, n), streamedFrame(b)]);
    expect(decompressBounded(frames, a.length + b.length).equals(Buffer.concat([a, b]))).toBe(true);
    expect(decompressBounded(Buffer.alloc(0), 0)).toEqual(Buffer.alloc(0));
  });

  it('stops at the bound whether the size is declared or only found while streaming', () => {
    const data = Buffer.alloc(2 * 1024 * 1024, 'q');
    const declared = Buffer.alloc(data.length);
    const n = compressInto(declared, data) ?? 0;
    expect(() => decompressBounded(declared.subarray(0, n), 1000)).toThrow(
      'decompressed data exceeds 1000 bytes',
    );
    expect(() => decompressBounded(streamedFrame(data), 1000)).toThrow(
      'decompressed data exceeds 1000 bytes',
    );
    // the shared context recovers after an aborted stream
    expect(decompressBounded(streamedFrame(data), data.length).equals(data)).toBe(true);
  });

  it('rejects garbage and truncated frames', () => {
    expect(() => decompressBounded(Buffer.from('not a zstd frame'), 100)).toThrow();
    const frame = streamedFrame(Buffer.alloc(100_000, 'z'));
    expect(() => decompressBounded(frame.subarray(0, frame.length - 3), 200_000)).toThrow();
  });
});
