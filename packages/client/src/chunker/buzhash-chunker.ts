import { AppError } from '@pbs/api-types/errors';
import { BUZHASH_PAIR_TABLE, BUZHASH_TABLE } from './buzhash-table.js';
import { rollWasm, WASM_ROLL, wasmRolled } from './buzhash-wasm.js';

/*
 * PBS's dynamic chunker (pbs-datastore/src/chunker.rs, pbs-formats §5.1), a rewrite of casync's
 * buzhash chunker: a 64-byte window, min = avg/4, max = avg*4, cut after the byte at which
 * chunk_size >= max, or chunk_size >= min and (h & (2avg-1)) >= 2avg-3. No test during the first
 * 64 bytes of a chunk (the window fill); hash, size and window reset after every cut.
 *
 * The window hash depends only on the last 64 bytes (each byte's table value is rotated 64 times,
 * a multiple of 32, before it leaves), so the bytes of a chunk before `firstTest - 64` never need
 * hashing: the first possible cut is at max(min, 65) bytes (the reference tests only after the
 * window is full), and the hash there is computed from the 64 bytes before it. That skips a
 * quarter of the data at PBS's parameters and gives the same boundaries.
 *
 * Hot path: `scan` keeps the state in locals and reads the byte leaving the window straight from
 * the input (64 bytes back) whenever it lies in the same call's data; only the first 64 bytes of a
 * call that continues a chunk read the saved ring. Nothing is allocated per byte or per call.
 */

const WINDOW = 64;

export const MIN_AVG_CHUNK_SIZE = 1;
/** The averages proxmox-backup-client offers (--chunk-size 64…4096 KiB) */
export const CLIENT_CHUNK_SIZES_KIB = [64, 128, 256, 512, 1024, 2048, 4096] as const;
export const DEFAULT_AVG_CHUNK_SIZE = 4 * 1024 * 1024;

function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/** the hash after the last `roll` call (a second return value without an allocation) */
let rolled = 0;
let useWasm = WASM_ROLL;

/** Tests: run the JavaScript loop instead of the WebAssembly one (returns the previous setting). */
export function useWasmRoll(on: boolean): boolean {
  const before = useWasm;
  useWasm = on && WASM_ROLL;
  return before;
}

/**
 * The hot loop: rolls the hash over data[from, to) (the window's leaving byte is 64 back in the
 * same data) and returns the index after the first byte that satisfies the cut test, or -1.
 */
function roll(
  data: Uint8Array,
  from: number,
  to: number,
  h: number,
  mask: number,
  threshold: number,
): number {
  const P = BUZHASH_PAIR_TABLE;
  for (let pos = from; pos < to; pos++) {
    h =
      ((h << 1) | (h >>> 31)) ^ (P[((data[pos - WINDOW] as number) << 8) | (data[pos] as number)] as number);
    if ((h & mask) >= threshold) {
      rolled = h;
      return pos + 1;
    }
  }
  rolled = h;
  return -1;
}

export class BuzhashChunker {
  readonly minSize: number;
  readonly maxSize: number;
  private readonly mask: number;
  private readonly threshold: number;
  /** chunk size at the first boundary test: after the window is full and the minimum reached */
  private readonly firstTest: number;
  private h = 0;
  private chunkSize = 0;
  private readonly window = new Uint8Array(WINDOW);

  /** INVALID_ARGUMENT unless `avg` is a power of two (≤ 256 MiB, so the mask stays in int32). */
  constructor(readonly avg: number = DEFAULT_AVG_CHUNK_SIZE) {
    if (!isPowerOfTwo(avg) || avg > 256 * 1024 * 1024) {
      throw new AppError('INVALID_ARGUMENT', `chunk size ${avg} is not a power of two`);
    }
    this.minSize = avg >>> 2;
    this.maxSize = avg * 4;
    this.mask = avg * 2 - 1;
    this.threshold = this.mask - 2;
    this.firstTest = Math.max(this.minSize, WINDOW + 1);
  }

  /** Bytes of the current (unfinished) chunk seen so far. */
  get pending(): number {
    return this.chunkSize;
  }

  reset(): void {
    this.h = 0;
    this.chunkSize = 0;
  }

  /**
   * Scans data[start, end) for the next boundary. Returns the index just after the byte that ends
   * the chunk (the state is then reset for the next chunk), or -1 if the range holds no boundary
   * (the state carries over to the next call).
   */
  scan(data: Uint8Array, start = 0, end = data.length): number {
    const T = BUZHASH_TABLE;
    const window = this.window;
    const firstTest = this.firstTest;
    const hashFrom = firstTest - WINDOW;
    let pos = start;
    let c = this.chunkSize;
    if (c < hashFrom) {
      const skip = Math.min(end - pos, hashFrom - c);
      pos += skip;
      c += skip;
      if (c < hashFrom) {
        this.chunkSize = c;
        return -1;
      }
    }
    let h = this.h;
    const mask = this.mask;
    const threshold = this.threshold;
    const max = this.maxSize;
    if (c < firstTest) {
      while (c < firstTest && pos < end) {
        const b = data[pos++] as number;
        window[c & 63] = b;
        h = ((h << 1) | (h >>> 31)) ^ (T[b] as number);
        c++;
      }
      if (c < firstTest) {
        this.h = h;
        this.chunkSize = c;
        return -1;
      }
      if (c >= max || (h & mask) >= threshold) return this.cut(pos);
    }
    // bytes whose window predecessor is not in this call's data come from the ring
    const ringEnd = Math.min(end, start + WINDOW, pos + (max - c));
    while (pos < ringEnd) {
      const enter = data[pos++] as number;
      const idx = c & 63;
      h = ((h << 1) | (h >>> 31)) ^ (T[window[idx] as number] as number) ^ (T[enter] as number);
      window[idx] = enter;
      c++;
      if ((h & mask) >= threshold) return this.cut(pos);
    }
    if (c >= max) return this.cut(pos);
    const stop = Math.min(end, pos + (max - c));
    const from = pos;
    let cut: number;
    if (useWasm) {
      cut = rollWasm(data, pos, stop, h, mask, threshold);
      h = wasmRolled;
    } else {
      cut = roll(data, pos, stop, h, mask, threshold);
      h = rolled;
    }
    if (cut >= 0) return this.cut(cut);
    pos = stop;
    c += pos - from;
    if (c >= max) return this.cut(pos);
    // save the last bytes of this call into the ring for the next call
    const n = Math.min(WINDOW, end - start);
    for (let k = end - n; k < end; k++) window[(c - (end - k)) & 63] = data[k] as number;
    this.h = h;
    this.chunkSize = c;
    return -1;
  }

  private cut(pos: number): number {
    this.reset();
    return pos;
  }
}
