/**
 * Corrupt archives must fail with AppError CORRUPT_DATA and a message that says what is wrong —
 * never with a TypeError, a RangeError, a hang or silently wrong output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isAppError } from '@pbs/api-types/errors';
import { describe, expect, it } from 'vitest';
import { PxarAccessor, type ReadAt } from '../accessor/accessor.js';
import { PXAR_PAYLOAD_REF } from '../format/constants.js';
import { listArchive } from '../testing/listing.js';
import { PXAR_TESTDATA_DIR } from '../testing/vector-tree.js';
import { PxarDecoder } from './decoder.js';

const read = (name: string): Buffer => fs.readFileSync(path.join(PXAR_TESTDATA_DIR, name));
const pxar = read('tree.pxar');
const mpxar = read('tree.mpxar');
const ppxar = read('tree.ppxar');
const readerOf =
  (buf: Buffer): ReadAt =>
  (offset, length) =>
    Promise.resolve(buf.subarray(offset, offset + length));

async function decodeError(archive: Buffer, payload?: Buffer): Promise<Error & { code?: string }> {
  try {
    await listArchive([archive], payload ? [payload] : undefined);
  } catch (err) {
    return err as Error;
  }
  throw new Error('decoding succeeded');
}

function patched(buf: Buffer, at: number, bytes: number[] | Buffer): Buffer {
  const copy = Buffer.from(buf);
  Buffer.from(bytes).copy(copy, at);
  return copy;
}

function refOffsets(buf: Buffer): number[] {
  const magic = Buffer.alloc(8);
  magic.writeBigUInt64LE(PXAR_PAYLOAD_REF);
  const out: number[] = [];
  for (let at = buf.indexOf(magic); at >= 0; at = buf.indexOf(magic, at + 1)) out.push(at);
  return out;
}

describe('sequential decoder on corrupt input', () => {
  it('bad magic', async () => {
    const err = await decodeError(patched(pxar, 0, [0, 1, 2, 3]));
    expect(err).toMatchObject({ code: 'CORRUPT_DATA' });
    expect(err.message).toMatch(/bad magic: expected pxar entry of type 'Entry', got UNKNOWN header/);
    expect((await decodeError(Buffer.from('not a pxar archive at all'))).code).toBe('CORRUPT_DATA');
    expect((await decodeError(Buffer.alloc(0))).message).toMatch(/empty archive/);
  });

  it('truncated anywhere', async () => {
    const cuts = [1, 15, 16, 17, 55, 56, 57, 100, 200, 1000, 40_000, pxar.length - 24, pxar.length - 1];
    for (let cut = 300; cut < pxar.length; cut += 997) cuts.push(cut);
    for (const cut of cuts) {
      const err = await decodeError(pxar.subarray(0, cut));
      expect(err.code, `cut at ${cut}: ${err.message}`).toBe('CORRUPT_DATA');
      expect(err.message).toMatch(/unexpected EOF|too small|invalid/);
    }
    const payloadCut = await decodeError(mpxar, ppxar.subarray(0, 1000));
    expect(payloadCut.message).toMatch(/unexpected EOF in payload stream/);
  });

  it('wrong goodbye table', async () => {
    const tailHash = pxar.length - 24;
    const lastItem = tailHash - 24;
    const hash = await decodeError(patched(pxar, lastItem, [0x55]));
    expect(hash.message).toMatch(/wrong goodbye table of directory "\/".*(name hash|binary search tree)/);
    const offset = await decodeError(patched(pxar, lastItem + 8, [0x01]));
    expect(offset.message).toMatch(/wrong goodbye table.*no entry/);
    const size = await decodeError(patched(pxar, lastItem + 16, [0x01]));
    expect(size.message).toMatch(/wrong goodbye table.*has size/);
    const tail = await decodeError(patched(pxar, tailHash, [0]));
    expect(tail.message).toMatch(/no goodbye tail marker/);
    expect((await decodeError(Buffer.concat([pxar, Buffer.from('x')]))).message).toMatch(/trailing data/);
  });

  it('bad payload references', async () => {
    const refs = refOffsets(mpxar);
    expect(refs.length).toBe(8);
    const first = refs[0] as number;
    const moved = await decodeError(patched(mpxar, first + 16, [17]), ppxar);
    expect(moved.message).toMatch(/bad payload ref: expected PAYLOAD at payload offset 17/);
    const size = Buffer.alloc(8);
    size.writeBigUInt64LE(38n);
    const wrongSize = await decodeError(patched(mpxar, first + 24, size), ppxar);
    expect(wrongSize.message).toMatch(/bad payload ref: size mismatch/);
    const back = await decodeError(
      patched(mpxar, (refs[1] as number) + 16, [16, 0, 0, 0, 0, 0, 0, 0]),
      ppxar,
    );
    expect(back.message).toMatch(/bad payload ref of "\/acl.txt".*before the end of the previous/);
    const badStart = await decodeError(mpxar, patched(ppxar, 0, [0]));
    expect(badStart.message).toMatch(/expected PAYLOAD_START_MARKER/);
  });

  it('random damage never escapes as anything but CORRUPT_DATA', async () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 300; i++) {
      const buf = Buffer.from(i % 2 === 0 ? pxar : mpxar);
      for (let k = 0; k <= rand(3); k++) buf[rand(Math.min(buf.length, 3000))] = rand(256);
      try {
        await listArchive([buf], i % 2 === 0 ? undefined : [ppxar]);
      } catch (err) {
        expect(isAppError(err) && err.code === 'CORRUPT_DATA', String(err)).toBe(true);
      }
    }
  });

  it('reads the contents only of the current entry', async () => {
    const decoder = new PxarDecoder([pxar]);
    await decoder.next();
    await expect(decoder.readContents()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const readme = await decoder.next();
    expect(readme?.kind.type).toBe('file');
    const contents = decoder.contents();
    await decoder.next();
    await expect(contents.next()).rejects.toThrow(/after next/);
  });
});

describe('random access on corrupt input', () => {
  it('bad magic, bad version, too small', async () => {
    await expect(PxarAccessor.open(readerOf(Buffer.alloc(10)), 10)).rejects.toMatchObject({
      code: 'CORRUPT_DATA',
    });
    const v3 = patched(mpxar, 16, [3]);
    await expect(PxarAccessor.open(readerOf(v3), v3.length)).rejects.toThrow(/unknown format version 3/);
    const noMagic = patched(pxar, 0, [1, 2, 3]);
    const accessor = await PxarAccessor.open(readerOf(noMagic), noMagic.length);
    await expect(accessor.lookup('/')).rejects.toMatchObject({ code: 'CORRUPT_DATA' });
  });

  it('wrong goodbye tables', async () => {
    const noTail = patched(pxar, pxar.length - 24, [0]);
    const a = await PxarAccessor.open(readerOf(noTail), noTail.length);
    await expect(a.openRoot()).rejects.toThrow(/no goodbye tail marker found/);
    const badItem = patched(pxar, pxar.length - 48 + 8, [0x03]);
    const b = await PxarAccessor.open(readerOf(badItem), badItem.length);
    await expect(b.listDirectory('/')).rejects.toThrow(/expected PXAR_FILENAME header|invalid|out of range/);
    const tooBig = patched(pxar, pxar.length - 8, [0xff, 0xff, 0xff]);
    const c = await PxarAccessor.open(readerOf(tooBig), tooBig.length);
    await expect(c.openRoot()).rejects.toMatchObject({ code: 'CORRUPT_DATA' });
  });

  it('bad payload references', async () => {
    const first = refOffsets(mpxar)[0] as number;
    const bad = patched(mpxar, first + 16, [17]);
    const accessor = await PxarAccessor.open(readerOf(bad), bad.length, {
      payload: { read: readerOf(ppxar), size: ppxar.length },
    });
    const file = await accessor.lookup('/README.txt');
    await expect(file?.read(0, 10)).rejects.toThrow(/bad payload ref of "\/README.txt"/);
    const far = patched(mpxar, first + 16, [0, 0, 0, 0x10]);
    const farAccessor = await PxarAccessor.open(readerOf(far), far.length, {
      payload: { read: readerOf(ppxar), size: ppxar.length },
    });
    await expect((await farAccessor.lookup('/README.txt'))?.read(0, 1)).rejects.toThrow(/out of range/);
  });

  it('short reads from the read function are truncation', async () => {
    const short: ReadAt = (offset, length) =>
      Promise.resolve(pxar.subarray(offset, offset + Math.max(0, length - 1)));
    await expect(PxarAccessor.open(short, pxar.length)).rejects.toThrow(/unexpected EOF/);
  });
});
