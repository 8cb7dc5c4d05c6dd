import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listArchive, type ListingRecord } from '../testing/listing.js';
import { PXAR_TESTDATA_DIR } from '../testing/vector-tree.js';
import { PxarDecoder } from './decoder.js';

const read = (name: string): Buffer => fs.readFileSync(path.join(PXAR_TESTDATA_DIR, name));
const jsonl = (name: string): ListingRecord[] =>
  read(name)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ListingRecord);

/** Splits a buffer into chunks of `size` so entries straddle chunk boundaries. */
function* chunked(buf: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < buf.length; at += size) yield buf.subarray(at, at + size);
}

describe('decoder against the reference listings', () => {
  it('decodes tree.pxar to tree.pxar.list.jsonl', async () => {
    expect(await listArchive([read('tree.pxar')])).toEqual(jsonl('tree.pxar.list.jsonl'));
  });

  it('decodes tree.mpxar + tree.ppxar to tree.mpxar.list.jsonl', async () => {
    expect(await listArchive([read('tree.mpxar')], [read('tree.ppxar')])).toEqual(
      jsonl('tree.mpxar.list.jsonl'),
    );
  });

  it('gives the same result for any chunking of the input', async () => {
    for (const size of [1, 7, 16, 100, 4096]) {
      expect(await listArchive(chunked(read('tree.pxar'), size))).toEqual(jsonl('tree.pxar.list.jsonl'));
      expect(
        await listArchive(chunked(read('tree.mpxar'), size), chunked(read('tree.ppxar'), size + 3)),
      ).toEqual(jsonl('tree.mpxar.list.jsonl'));
    }
  });

  it('lists a split archive without its payload stream, and refuses contents then', async () => {
    const decoder = new PxarDecoder([read('tree.mpxar')], { name: 'root.mpxar' });
    const paths: string[] = [];
    let refused = false;
    for await (const entry of decoder) {
      paths.push(entry.path);
      if (entry.kind.type === 'file' && !refused) {
        await expect(decoder.readContents()).rejects.toThrow(/payload stream/);
        refused = true;
      }
    }
    expect(paths).toHaveLength(19);
    expect(refused).toBe(true);
  });

  it('yields goodbye entries when asked', async () => {
    const decoder = new PxarDecoder([read('tree.pxar')], { goodbyeEntries: true });
    const goodbyes: string[] = [];
    for await (const entry of decoder) if (entry.kind.type === 'goodbye') goodbyes.push(entry.path);
    expect(goodbyes).toEqual(['/empty-dir', '/sub/deeper', '/sub', '/']);
  });
});
