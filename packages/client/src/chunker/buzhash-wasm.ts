import { BUZHASH_PAIR_TABLE } from './buzhash-table.js';

/*
 * The buzhash rolling loop as a tiny hand-assembled WebAssembly function (no toolchain needed;
 * the bytes below are the whole module). It runs 2-3x faster than the same loop in JavaScript
 * because wasm memory accesses need no bounds checks. Memory: the 256 KiB pair table at 0, the
 * data window after it; input is copied in blocks of at most 1 MiB plus the 64 bytes of window
 * history, so every byte is copied once.
 *
 *   roll(p, end, h, mask, threshold) -> i32:
 *     while p < end: h = rotl(h, 1) ^ pair[(mem[p - 64] << 8) | mem[p]]; p++;
 *                    if (h & mask) >= threshold: H = h; return p
 *     H = h; return -1
 */

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

const section = (id: number, bytes: number[]) => [id, ...leb(bytes.length), ...bytes];
const name = (s: string) => [s.length, ...Buffer.from(s, 'ascii')];

// prettier-ignore
const BODY = [
  0x00,                                     // no locals
  0x02, 0x40, 0x03, 0x40,                   // block, loop
  0x20, 0x00, 0x20, 0x01, 0x4f, 0x0d, 0x01, // br_if exit (p >= end)
  0x20, 0x02, 0x41, 0x01, 0x77,             // rotl(h, 1)
  0x20, 0x00, 0x41, 0xc0, 0x00, 0x6b,       // p - 64
  0x2d, 0x00, 0x00, 0x41, 0x08, 0x74,       // load8_u << 8
  0x20, 0x00, 0x2d, 0x00, 0x00, 0x72,       // | load8_u(p)
  0x41, 0x02, 0x74, 0x28, 0x02, 0x00,       // pair[...] (i32.load at index * 4)
  0x73, 0x21, 0x02,                         // h = rotl ^ pair
  0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x00, // p++
  0x20, 0x02, 0x20, 0x03, 0x71,             // h & mask
  0x20, 0x04, 0x4f, 0x04, 0x40,             // >= threshold: if
  0x20, 0x02, 0x24, 0x00, 0x20, 0x00, 0x0f, //   H = h; return p
  0x0b, 0x0c, 0x00, 0x0b, 0x0b,             // end if, br loop, end loop, end block
  0x20, 0x02, 0x24, 0x00, 0x41, 0x7f, 0x0b, // H = h; return -1
];

// prettier-ignore
const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [0x01, 0x60, 0x05, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f]), // (i32 x5) -> i32
  ...section(2, [0x01, ...name('env'), ...name('mem'), 0x02, 0x00, ...leb(1)]), // imported memory
  ...section(3, [0x01, 0x00]),
  ...section(6, [0x01, 0x7f, 0x01, 0x41, 0x00, 0x0b]), // mutable i32 global H
  ...section(7, [0x02, ...name('roll'), 0x00, 0x00, ...name('h'), 0x03, 0x00]),
  ...section(10, [0x01, ...leb(BODY.length), ...BODY]),
]);

const TABLE_BYTES = 65536 * 4;
const DATA = TABLE_BYTES;
const BLOCK = 1024 * 1024;
const WINDOW = 64;
const PAGE = 65536;

/** The part of the WebAssembly JS API used here (the TypeScript lib in use does not declare it). */
interface WasmApi {
  Memory: new (desc: { initial: number }) => { readonly buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

interface WasmRoll {
  roll: (p: number, end: number, h: number, mask: number, threshold: number) => number;
  h: { value: number };
  view: Uint8Array;
}

function instantiate(): WasmRoll | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) return undefined;
  try {
    const memory = new api.Memory({ initial: Math.ceil((DATA + WINDOW + BLOCK) / PAGE) });
    const instance = new api.Instance(new api.Module(MODULE), { env: { mem: memory } });
    new Int32Array(memory.buffer, 0, 65536).set(BUZHASH_PAIR_TABLE);
    return {
      roll: instance.exports.roll as WasmRoll['roll'],
      h: instance.exports.h as WasmRoll['h'],
      view: new Uint8Array(memory.buffer),
    };
  } catch {
    return undefined;
  }
}

const wasm = instantiate();

/** Whether the WebAssembly loop is available (otherwise callers use the JavaScript loop). */
export const WASM_ROLL = wasm !== undefined;

/** The hash after the last rollWasm call. */
export let wasmRolled = 0;

/**
 * Rolls over data[from, to) (data[from - 64] must exist); the index after the cut or -1. Only for
 * WASM_ROLL.
 */
export function rollWasm(
  data: Uint8Array,
  from: number,
  to: number,
  h: number,
  mask: number,
  threshold: number,
): number {
  const w = wasm as WasmRoll;
  let pos = from;
  while (pos < to) {
    const n = Math.min(BLOCK, to - pos);
    w.view.set(data.subarray(pos - WINDOW, pos + n), DATA);
    const cut = w.roll(DATA + WINDOW, DATA + WINDOW + n, h, mask, threshold);
    h = w.h.value;
    if (cut >= 0) {
      wasmRolled = h;
      return pos + (cut - DATA - WINDOW);
    }
    pos += n;
  }
  wasmRolled = h;
  return -1;
}
