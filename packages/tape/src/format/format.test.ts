import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BlockSink, BlockSource } from '../drive/port.js';
import {
  BlockedReader,
  BlockedWriter,
  FLAG_END_OF_STREAM,
  parseBlockHeader,
  writeBlockHeader,
} from './block.js';
import { BLOCK_PAYLOAD_SIZE, MAGIC_NAMES, MEDIA_LABEL_MAGIC, TAPE_BLOCK_SIZE } from './constants.js';
import { encodeContentHeader, readContentHeader } from './content-header.js';
import { mediaLabelJson, mediaSetLabelJson, parseMediaLabel, parseMediaSetLabel } from './labels.js';

function memoryTape(): { sink: BlockSink; blocks: Buffer[]; filemark: () => boolean } {
  const blocks: Buffer[] = [];
  let marked = false;
  return {
    blocks,
    filemark: () => marked,
    sink: {
      writeBlock: (b) => {
        blocks.push(b);
        return Promise.resolve(false);
      },
      writeFilemark: () => {
        marked = true;
        return Promise.resolve();
      },
    },
  };
}

function source(blocks: Buffer[]): BlockSource {
  let i = 0;
  return { readBlock: () => Promise.resolve(blocks[i++] ?? null), close: () => Promise.resolve() };
}

async function collect(reader: BlockedReader): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of reader) parts.push(p);
  return Buffer.concat(parts);
}

const pattern = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + (i >> 9)) & 255));

describe('magic numbers', () => {
  it.each(MAGIC_NAMES)('%s is SHA-256(name)[0..8]', (name, magic) => {
    expect(createHash('sha256').update(name).digest().subarray(0, 8).toString('hex')).toBe(
      magic.toString('hex'),
    );
  });
});

describe('block layer', () => {
  it('round-trips data over several blocks with sequence numbers and an end-of-stream block', async () => {
    const tape = memoryTape();
    const writer = new BlockedWriter(tape.sink);
    const data = pattern(2 * BLOCK_PAYLOAD_SIZE + 1000);
    await writer.write(data.subarray(0, 5));
    await writer.write(data.subarray(5));
    await writer.finish();
    expect(tape.filemark()).toBe(true);
    expect(tape.blocks).toHaveLength(3);
    expect(tape.blocks.every((b) => b.length === TAPE_BLOCK_SIZE)).toBe(true);
    const headers = tape.blocks.map((b) => parseBlockHeader(b, 't'));
    expect(headers.map((h) => h.seqNr)).toEqual([0, 1, 2]);
    expect(headers.map((h) => h.flags)).toEqual([0, 0, FLAG_END_OF_STREAM]);
    expect(headers[2]?.size).toBe(1000);
    expect(tape.blocks[2]?.subarray(16 + 1000).every((b) => b === 0)).toBe(true);
    expect(tape.blocks[0]?.subarray(0, 8).toString('hex')).toBe('dcbdafcaeba0a528');
    const reader = new BlockedReader(source(tape.blocks), 't');
    expect((await collect(reader)).equals(data)).toBe(true);
    expect(reader.incomplete).toBe(false);
  });

  it('an exact multiple of the payload ends with an empty end-of-stream block; INCOMPLETE is reported', async () => {
    const tape = memoryTape();
    const writer = new BlockedWriter(tape.sink);
    await writer.write(pattern(BLOCK_PAYLOAD_SIZE));
    await writer.finish(true);
    expect(tape.blocks.map((b) => parseBlockHeader(b, 't').size)).toEqual([BLOCK_PAYLOAD_SIZE, 0]);
    const reader = new BlockedReader(source(tape.blocks), 't');
    expect((await collect(reader)).length).toBe(BLOCK_PAYLOAD_SIZE);
    expect(reader.incomplete).toBe(true);
  });

  it('reads exact byte counts across blocks', async () => {
    const tape = memoryTape();
    const writer = new BlockedWriter(tape.sink);
    const data = pattern(BLOCK_PAYLOAD_SIZE + 100);
    await writer.write(data);
    await writer.finish();
    const reader = new BlockedReader(source(tape.blocks), 't');
    expect(
      (await reader.read(BLOCK_PAYLOAD_SIZE - 10)).equals(data.subarray(0, BLOCK_PAYLOAD_SIZE - 10)),
    ).toBe(true);
    expect(
      (await reader.read(50)).equals(data.subarray(BLOCK_PAYLOAD_SIZE - 10, BLOCK_PAYLOAD_SIZE + 40)),
    ).toBe(true);
    expect((await reader.read(1000)).length).toBe(60);
    expect((await reader.read(10)).length).toBe(0);
  });

  async function blocksOf(n: number): Promise<Buffer[]> {
    const tape = memoryTape();
    const writer = new BlockedWriter(tape.sink);
    await writer.write(pattern(n));
    await writer.finish();
    return tape.blocks;
  }

  it.each([
    ['wrong magic', (b: Buffer[]) => b[0]?.fill(0, 0, 8), /wrong block header magic/],
    ['sequence error', (b: Buffer[]) => b[1]?.writeUInt32LE(5, 12), /block sequence error/],
    ['short block before the end', (b: Buffer[]) => b[0]?.writeUIntLE(100, 9, 3), /short block/],
    ['size too large', (b: Buffer[]) => b[0]?.writeUIntLE(BLOCK_PAYLOAD_SIZE + 1, 9, 3), /too large/],
    ['missing end of stream (truncated file)', (b: Buffer[]) => b.pop(), /without an end-of-stream block/],
    [
      'data after end of stream',
      (b: Buffer[]) => b.push(Buffer.from(b[0] as Buffer)),
      /after the end-of-stream/,
    ],
    ['block of wrong size', (b: Buffer[]) => (b[0] = b[0]?.subarray(0, 1000) as Buffer), /expected 262144/],
  ])('%s is CORRUPT_DATA', async (_name, damage, message) => {
    const blocks = await blocksOf(BLOCK_PAYLOAD_SIZE + 500);
    damage(blocks);
    const reader = new BlockedReader(source(blocks), 'tape x file 2');
    await expect(collect(reader)).rejects.toMatchObject({
      code: 'CORRUPT_DATA',
      message: expect.stringMatching(message) as unknown,
    });
  });

  it('writeBlockHeader encodes the 3-byte little-endian size and the sequence number', () => {
    const b = Buffer.alloc(TAPE_BLOCK_SIZE);
    writeBlockHeader(b, { flags: 3, size: 0x030201, seqNr: 0x0a0b0c0d });
    expect(b.subarray(8, 16).toString('hex')).toBe('030102030d0c0b0a');
  });
});

describe('media content header and labels', () => {
  it('encodes the 48-byte header and pretty JSON and reads them back', async () => {
    const label = {
      uuid: '0123e456-89ab-4cde-8f01-23456789abcd',
      label_text: 'TAPE01',
      ctime: 1700000000,
      pool: 'p1',
    };
    const { bytes, uuid } = encodeContentHeader(MEDIA_LABEL_MAGIC, mediaLabelJson(label), {
      ctime: 1700000001,
    });
    expect(bytes.subarray(0, 8).toString('hex')).toBe('63ee149fcdf29b0c');
    expect(bytes.subarray(8, 16).toString('hex')).toBe('2a05bf3cb030aa39');
    expect(bytes.readBigInt64LE(32)).toBe(1700000001n);
    const json = bytes.subarray(48).toString();
    expect(bytes.readUInt32LE(40)).toBe(json.length);
    expect(json).toBe(
      JSON.stringify({ uuid: label.uuid, label_text: 'TAPE01', ctime: 1700000000, pool: 'p1' }, null, 2),
    );
    const tape = memoryTape();
    const w = new BlockedWriter(tape.sink);
    await w.write(bytes);
    await w.finish();
    const header = await readContentHeader(new BlockedReader(source(tape.blocks), 't'), 't');
    expect(header?.uuid).toBe(uuid);
    expect(header?.contentMagic.equals(MEDIA_LABEL_MAGIC)).toBe(true);
    expect(parseMediaLabel(header?.data)).toEqual(label);
  });

  it('rejects a wrong magic, an oversized header and malformed labels', async () => {
    const { bytes } = encodeContentHeader(MEDIA_LABEL_MAGIC, { a: 1 }, { ctime: 0 });
    const bad = Buffer.from(bytes);
    bad[0] = 0;
    const big = Buffer.from(bytes);
    big.writeUInt32LE(65 * 1024, 40);
    for (const [buf, msg] of [
      [bad, /wrong media content header magic/],
      [big, /out of range/],
    ] as const) {
      const tape = memoryTape();
      const w = new BlockedWriter(tape.sink);
      await w.write(buf);
      await w.finish();
      await expect(readContentHeader(new BlockedReader(source(tape.blocks), 't'), 't')).rejects.toThrow(msg);
    }
    expect(() => parseMediaLabel({ uuid: 'x', label_text: 'a', ctime: 1 })).toThrow(/not a UUID/);
    expect(() =>
      parseMediaSetLabel({ pool: 'p', uuid: '00000000-0000-0000-0000-000000000000', ctime: 1 }),
    ).toThrow(/seq_nr/);
    const set = { pool: 'p', uuid: '00000000-0000-0000-0000-000000000000', seq_nr: 0, ctime: 5 };
    expect(parseMediaSetLabel(mediaSetLabelJson(set))).toEqual(set);
  });
});
