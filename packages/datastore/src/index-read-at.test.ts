import { describe, expect, it } from 'vitest';
import { sha256Digest, type Digest } from './digest.js';
import { DynamicIndexReader } from './dynamic-index.js';
import type { IndexFile } from './index-file.js';
import { createIndexReadAt } from './index-read-at.js';

/** A dynamic index over in-memory pieces, built the way the writer lays entries out. */
function memoryIndex(pieces: Buffer[]): { index: IndexFile; chunks: Map<string, Buffer> } {
  const raw = Buffer.alloc(4096 + 40 * pieces.length);
  Buffer.from('1c914ea519bab3cd', 'hex').copy(raw, 0);
  const chunks = new Map<string, Buffer>();
  let end = 0;
  pieces.forEach((piece, i) => {
    end += piece.length;
    raw.writeBigUInt64LE(BigInt(end), 4096 + 40 * i);
    const digest = sha256Digest(piece);
    Buffer.from(digest, 'hex').copy(raw, 4096 + 40 * i + 8);
    chunks.set(digest, piece);
  });
  return { index: DynamicIndexReader.decode(raw, 'memory'), chunks };
}

describe('createIndexReadAt', () => {
  const pieces = [Buffer.from('abcdef'), Buffer.from('ghij'), Buffer.from('klmnopqrstuvwxyz')];
  const all = Buffer.concat(pieces);

  it('reads any range, across chunk boundaries, and loads each chunk once while cached', async () => {
    const { index, chunks } = memoryIndex(pieces);
    const loads: string[] = [];
    const read = createIndexReadAt(index, (digest: Digest) => {
      loads.push(digest);
      return Promise.resolve(chunks.get(digest) ?? Buffer.alloc(0));
    });
    for (const [offset, length] of [
      [0, 26],
      [4, 4],
      [5, 12],
      [25, 1],
      [10, 0],
    ] as const) {
      expect((await read(offset, length)).toString()).toBe(all.subarray(offset, offset + length).toString());
    }
    expect(new Set(loads).size).toBe(3);
    expect(loads).toHaveLength(3);
  });

  it('refuses ranges outside the data and chunks of the wrong size', async () => {
    const { index, chunks } = memoryIndex(pieces);
    const read = createIndexReadAt(index, (digest: Digest) =>
      Promise.resolve(chunks.get(digest) ?? Buffer.alloc(0)),
    );
    await expect(read(20, 10)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const short = createIndexReadAt(index, () => Promise.resolve(Buffer.from('x')));
    await expect(short(0, 2)).rejects.toMatchObject({ code: 'CORRUPT_DATA' });
  });
});
