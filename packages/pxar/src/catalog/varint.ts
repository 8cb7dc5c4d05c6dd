/**
 * The catalog's variable-length integers (pbs-datastore catalog.rs): 7 bits per byte, least
 * significant first, high bit = "more follows". Negative i64 values end with an extra zero byte
 * after a final byte that keeps its high bit set. Values are JS numbers (|v| < 2^53).
 */

/** Appends the encoding of a non-negative integer to `out`. */
export function encodeU64(out: number[], value: number): void {
  let d = value;
  while (d >= 128) {
    out.push(128 | (d % 128));
    d = Math.floor(d / 128);
  }
  out.push(d);
}

export function encodeI64(out: number[], value: number): void {
  if (value >= 0) {
    encodeU64(out, value);
    return;
  }
  let d = -value;
  while (d >= 128) {
    out.push(128 | (d % 128));
    d = Math.floor(d / 128);
  }
  out.push(128 | d, 0);
}

export interface Cursor {
  buf: Buffer;
  pos: number;
}

/** Reads a u64 (at most 10 bytes); throws a plain Error the caller turns into CORRUPT_DATA. */
export function decodeU64(c: Cursor): number {
  let v = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (c.pos >= c.buf.length) throw new Error('decode_u64 failed - unexpected end of data');
    const t = c.buf[c.pos++] as number;
    v += (t & 127) * scale;
    if (t < 128) {
      if (!Number.isSafeInteger(v)) throw new Error('decode_u64 failed - value out of range');
      return v;
    }
    scale *= 128;
  }
  throw new Error('decode_u64 failed - missing end marker');
}

export function decodeI64(c: Cursor): number {
  let v = 0;
  let scale = 1;
  for (let i = 0; i < 11; i++) {
    if (c.pos >= c.buf.length) throw new Error('decode_i64 failed - unexpected end of data');
    const t = c.buf[c.pos++] as number;
    if (t === 0) return v === 0 ? 0 : -v;
    v += (t & 127) * scale;
    if (t < 128) {
      if (!Number.isSafeInteger(v)) throw new Error('decode_i64 failed - value out of range');
      return v;
    }
    scale *= 128;
  }
  throw new Error('decode_i64 failed - missing end marker');
}
