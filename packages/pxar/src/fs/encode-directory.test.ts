import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadAt } from '../accessor/range-source.js';
import { CatalogReader } from '../catalog/reader.js';
import { CatalogWriter } from '../catalog/writer.js';
import { PxarDecoder } from '../decoder/decoder.js';
import { encodeDirectory } from './encode-directory.js';

let tmp: string;
let tree: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pxar-enc-'));
  tree = path.join(tmp, 'tree');
  fs.mkdirSync(path.join(tree, 'b/c'), { recursive: true });
  fs.writeFileSync(path.join(tree, 'a.txt'), 'a');
  fs.writeFileSync(path.join(tree, 'b/c/d.txt'), 'dddd');
  fs.writeFileSync(path.join(tree, 'B'), 'upper case sorts first');
  fs.symlinkSync('a.txt', path.join(tree, 'link'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('encodeDirectory', () => {
  it('reports every entry to the catalog in archive order and to the progress callback', async () => {
    const archive: Buffer[] = [];
    const catalogOut: Buffer[] = [];
    const catalog = new CatalogWriter((b) => void catalogOut.push(b));
    catalog.startDirectory(Buffer.from('root.pxar.didx'));
    const progress: string[] = [];
    const result = await encodeDirectory(tree, (b) => void archive.push(b), {
      catalog,
      onEntry: (p) => progress.push(p),
    });
    await catalog.endDirectory();
    await catalog.finish();
    expect(progress).toEqual(['/B', '/a.txt', '/b', '/b/c', '/b/c/d.txt', '/link']);
    expect(result.stats).toMatchObject({ files: 3, directories: 2, bytes: 27, entries: 6 });
    const paths: string[] = [];
    for await (const e of new PxarDecoder([Buffer.concat(archive)])) paths.push(e.path);
    expect(paths).toEqual(['/', ...progress]);
    const cat = Buffer.concat(catalogOut);
    const read: ReadAt = (o, l) => Promise.resolve(cat.subarray(o, o + l));
    const reader = await CatalogReader.open(read, cat.length);
    const listed: string[] = [];
    for await (const e of reader.walk())
      listed.push(`${e.path} ${e.type}${e.size === undefined ? '' : ` ${e.size}`}`);
    expect(listed).toEqual([
      '/root.pxar.didx d',
      '/root.pxar.didx/B f 22',
      '/root.pxar.didx/a.txt f 1',
      '/root.pxar.didx/b d',
      '/root.pxar.didx/b/c d',
      '/root.pxar.didx/b/c/d.txt f 4',
      '/root.pxar.didx/link l',
    ]);
  });

  it('refuses what it cannot archive', async () => {
    await expect(encodeDirectory(path.join(tree, 'a.txt'), () => undefined)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(encodeDirectory('/proc', () => undefined)).rejects.toThrow(/virtual file system/);
    await expect(encodeDirectory(tree, () => undefined, { excludes: ['abc\\'] })).rejects.toThrow(
      /invalid exclude pattern/,
    );
    await expect(encodeDirectory(tree, () => undefined, { entriesMax: 2 })).rejects.toThrow(
      /exceeded allowed number of file entries/,
    );
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const run = encodeDirectory(tree, () => undefined, {
      signal: controller.signal,
      onEntry: (p) => {
        if (p === '/b') controller.abort(new Error('stop here'));
      },
    });
    await expect(run).rejects.toThrow(/stop here/);
  });

  it('can leave out metadata kinds', async () => {
    const archive: Buffer[] = [];
    await encodeDirectory(tree, (b) => void archive.push(b), {
      features: { xattrs: false, acls: false, fcaps: false },
    });
    expect(Buffer.concat(archive).length).toBeGreaterThan(0);
  });
});
