/**
 * SipHash-2-4 of a file name with pxar's fixed keys: the hash that orders goodbye tables.
 *
 * Hot path (one hash per archived entry), so the 64-bit lanes are kept as pairs of uint32 in a
 * module-level Uint32Array instead of BigInt: no allocation per round, one BigInt per result.
 * Layout of `s`: [v0hi, v0lo, v1hi, v1lo, v2hi, v2lo, v3hi, v3lo].
 */
import { PXAR_HASH_KEY_1, PXAR_HASH_KEY_2 } from './constants.js';

const s = new Uint32Array(8);

function hi(v: bigint): number {
  return Number(v >> 32n);
}
function lo(v: bigint): number {
  return Number(v & 0xffffffffn);
}

// v = a + b (mod 2^64) on lane indices
function add(a: number, b: number): void {
  const l = (s[a + 1] as number) + (s[b + 1] as number);
  s[a] = (s[a] as number) + (s[b] as number) + (l > 0xffffffff ? 1 : 0);
  s[a + 1] = l;
}

function rotl(a: number, r: number): void {
  let h = s[a] as number;
  let l = s[a + 1] as number;
  if (r >= 32) {
    const t = h;
    h = l;
    l = t;
    r -= 32;
  }
  if (r > 0) {
    const nh = (h << r) | (l >>> (32 - r));
    const nl = (l << r) | (h >>> (32 - r));
    h = nh;
    l = nl;
  }
  s[a] = h;
  s[a + 1] = l;
}

function xor(a: number, b: number): void {
  s[a] = (s[a] as number) ^ (s[b] as number);
  s[a + 1] = (s[a + 1] as number) ^ (s[b + 1] as number);
}

const V0 = 0;
const V1 = 2;
const V2 = 4;
const V3 = 6;

function sipRound(): void {
  add(V0, V1);
  rotl(V1, 13);
  xor(V1, V0);
  rotl(V0, 32);
  add(V2, V3);
  rotl(V3, 16);
  xor(V3, V2);
  add(V0, V3);
  rotl(V3, 21);
  xor(V3, V0);
  add(V2, V1);
  rotl(V1, 17);
  xor(V1, V2);
  rotl(V2, 32);
}

function compress(mHi: number, mLo: number): void {
  s[V3] = (s[V3] as number) ^ mHi;
  s[V3 + 1] = (s[V3 + 1] as number) ^ mLo;
  sipRound();
  sipRound();
  s[V0] = (s[V0] as number) ^ mHi;
  s[V0 + 1] = (s[V0 + 1] as number) ^ mLo;
}

/** Precomputed initial state for a key pair (k0 ^ "somepseu", k1 ^ "dorandom", …). */
function initialState(k0: bigint, k1: bigint): Uint32Array {
  const init = [
    k0 ^ 0x736f6d6570736575n,
    k1 ^ 0x646f72616e646f6dn,
    k0 ^ 0x6c7967656e657261n,
    k1 ^ 0x7465646279746573n,
  ];
  return Uint32Array.from(init.flatMap((v) => [hi(v), lo(v)]));
}

const PXAR_INIT = initialState(PXAR_HASH_KEY_1, PXAR_HASH_KEY_2);

/** SipHash-2-4 of `data` under a 128-bit key (k0, k1), as a u64. */
export function sipHash24(data: Uint8Array, k0: bigint, k1: bigint): bigint {
  return hashWith(initialState(k0, k1), data);
}

/** The goodbye-table hash of a file name (raw bytes, no terminating zero). */
export function hashFilename(name: Uint8Array): bigint {
  return hashWith(PXAR_INIT, name);
}

function hashWith(init: Uint32Array, data: Uint8Array): bigint {
  s.set(init);
  const len = data.length;
  const end = len - (len % 8);
  let i = 0;
  for (; i < end; i += 8) {
    const mLo =
      ((data[i] as number) |
        ((data[i + 1] as number) << 8) |
        ((data[i + 2] as number) << 16) |
        ((data[i + 3] as number) << 24)) >>>
      0;
    const mHi =
      ((data[i + 4] as number) |
        ((data[i + 5] as number) << 8) |
        ((data[i + 6] as number) << 16) |
        ((data[i + 7] as number) << 24)) >>>
      0;
    compress(mHi, mLo);
  }
  // last block: remaining bytes, length (mod 256) in the top byte
  let tLo = 0;
  let tHi = (len & 0xff) << 24;
  for (let j = 0; i + j < len; j++) {
    const b = data[i + j] as number;
    if (j < 4) tLo |= b << (8 * j);
    else tHi |= b << (8 * (j - 4));
  }
  compress(tHi >>> 0, tLo >>> 0);
  s[V2 + 1] = (s[V2 + 1] as number) ^ 0xff;
  sipRound();
  sipRound();
  sipRound();
  sipRound();
  const rHi = ((s[V0] as number) ^ (s[V1] as number) ^ (s[V2] as number) ^ (s[V3] as number)) >>> 0;
  const rLo =
    ((s[V0 + 1] as number) ^ (s[V1 + 1] as number) ^ (s[V2 + 1] as number) ^ (s[V3 + 1] as number)) >>> 0;
  return (BigInt(rHi) << 32n) | BigInt(rLo);
}
