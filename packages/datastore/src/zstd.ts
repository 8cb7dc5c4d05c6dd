import zstd from 'zstd-napi/binding.js';

/*
 * The two zstd operations the blob format needs, on the native binding directly so that
 * compression writes straight into the blob buffer (no copy) and decompression is bounded
 * (a hostile blob cannot make us allocate more than the caller allows).
 * The contexts are shared: the binding is synchronous, so calls never interleave.
 */

const ZSTD_LEVEL = 1;
const DST_TOO_SMALL = 'Destination buffer is too small';
const cctx = new zstd.CCtx();
const dctx = new zstd.DCtx();
const STREAM_OUT = 1024 * 1024;

/**
 * zstd level 1 of `src` into `dst`: the compressed length, or undefined if the result does not
 * fit. PBS compresses into a buffer the size of the input, so "fits" is its rule for keeping
 * compression (compressed size ≤ input size).
 */
export function compressInto(dst: Uint8Array, src: Uint8Array): number | undefined {
  try {
    return cctx.compress(dst, src, ZSTD_LEVEL);
  } catch (err) {
    if (err instanceof Error && err.message === DST_TOO_SMALL) return undefined;
    throw err;
  }
}

/** Sum of the frames' declared content sizes, or undefined if a frame does not declare one. */
function declaredSize(src: Uint8Array): number | undefined {
  let total = 0;
  let rest = src;
  while (rest.length > 0) {
    const size = zstd.getFrameContentSize(rest);
    if (size === null) return undefined;
    total += size;
    rest = rest.subarray(zstd.findFrameCompressedSize(rest));
  }
  return total;
}

function tooLarge(maxSize: number): Error {
  return new Error(`decompressed data exceeds ${maxSize} bytes`);
}

function decompressStreaming(src: Uint8Array, maxSize: number): Buffer {
  try {
    return streamFrames(src, maxSize);
  } finally {
    // a failed or bounded-out stream leaves the shared context mid-frame
    dctx.reset(zstd.ResetDirective.sessionOnly);
  }
}

function streamFrames(src: Uint8Array, maxSize: number): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  let input = src;
  let pending = 1;
  while (input.length > 0 || pending !== 0) {
    const out = Buffer.allocUnsafe(Math.min(STREAM_OUT, maxSize - total + 1));
    const [ret, produced, consumed] = dctx.decompressStream(out, input);
    if (produced === 0 && consumed === 0) throw new Error('truncated zstd frame');
    total += produced;
    if (total > maxSize) throw tooLarge(maxSize);
    parts.push(out.subarray(0, produced));
    input = input.subarray(consumed);
    pending = ret;
  }
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, total);
}

/** Decodes all frames of `src`; throws a plain Error (for the caller to name) when invalid. */
export function decompressBounded(src: Uint8Array, maxSize: number): Buffer {
  if (src.length === 0) return Buffer.alloc(0);
  const size = declaredSize(src);
  if (size === undefined) return decompressStreaming(src, maxSize);
  if (size > maxSize) throw tooLarge(maxSize);
  const out = Buffer.allocUnsafe(size);
  const written = dctx.decompress(out, src);
  if (written !== size) throw new Error(`zstd frame declares ${size} bytes but holds ${written}`);
  return out;
}
