/**
 * The encoder alone against the reference vectors: the tree of tree.json fed entry by entry
 * (no filesystem) must give tree.pxar, tree.mpxar + tree.ppxar and catalog.pcat1 byte for byte.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogWriter } from '../catalog/writer.js';
import {
  PXAR_TESTDATA_DIR,
  loadVectorTree,
  vectorContent,
  vectorMetadata,
  type VectorEntry,
} from '../testing/vector-tree.js';
import { PxarEncoder, type LinkOffset } from './encoder.js';

const tree = loadVectorTree();
const vector = (name: string): Buffer => fs.readFileSync(path.join(PXAR_TESTDATA_DIR, name));

function childrenOf(dir: string): VectorEntry[] {
  return tree.entries
    .filter((e) => path.posix.dirname(e.path) === (dir === '' ? '.' : dir))
    .sort((a, b) =>
      Buffer.compare(Buffer.from(path.posix.basename(a.path)), Buffer.from(path.posix.basename(b.path))),
    );
}

async function encodeDir(
  enc: PxarEncoder,
  catalog: CatalogWriter,
  dir: string,
  links: Map<string, LinkOffset>,
): Promise<void> {
  for (const e of childrenOf(dir)) {
    const name = Buffer.from(path.posix.basename(e.path));
    const meta = vectorMetadata(e);
    switch (e.type) {
      case 'dir':
        catalog.startDirectory(name);
        await enc.createDirectory(name, meta);
        await encodeDir(enc, catalog, e.path, links);
        await enc.finishDirectory();
        await catalog.endDirectory();
        break;
      case 'file': {
        const content = vectorContent(e);
        catalog.addFile(name, content.length, meta.stat.mtime.secs);
        links.set(e.path, await enc.addFile(meta, name, content.length, content));
        break;
      }
      case 'hardlink':
        catalog.addHardlink(name);
        await enc.addHardlink(name, e.target ?? '', links.get(e.target ?? '') ?? -1);
        break;
      case 'symlink':
        catalog.addSymlink(name);
        await enc.addSymlink(meta, name, e.target ?? '');
        break;
      case 'chardev':
      case 'blockdev': {
        if (e.type === 'chardev') catalog.addCharDevice(name);
        else catalog.addBlockDevice(name);
        const [major, minor] = e.rdev ?? [0, 0];
        await enc.addDevice(meta, name, { major, minor });
        break;
      }
      case 'fifo':
        catalog.addFifo(name);
        await enc.addFifo(meta, name);
        break;
      case 'socket':
        catalog.addSocket(name);
        await enc.addSocket(meta, name);
        break;
    }
  }
}

async function encodeTree(split: boolean): Promise<{ archive: Buffer; payload: Buffer; catalog: Buffer }> {
  const archive: Buffer[] = [];
  const payload: Buffer[] = [];
  const catalogOut: Buffer[] = [];
  const catalog = new CatalogWriter((b) => void catalogOut.push(b));
  catalog.startDirectory(Buffer.from('root.pxar.didx'));
  const enc = await PxarEncoder.create((b) => void archive.push(b), vectorMetadata(tree.root), {
    payloadSink: split ? (b) => void payload.push(b) : undefined,
    batchSize: 7, // exercise batching boundaries
  });
  await encodeDir(enc, catalog, '', new Map());
  await enc.finishDirectory();
  await enc.close();
  await catalog.endDirectory();
  await catalog.finish();
  return {
    archive: Buffer.concat(archive),
    payload: Buffer.concat(payload),
    catalog: Buffer.concat(catalogOut),
  };
}

describe('encoder against the reference vectors', () => {
  it('encodes tree.pxar (format v1) byte for byte', async () => {
    const { archive, payload } = await encodeTree(false);
    expect(payload.length).toBe(0);
    expect(archive.equals(vector('tree.pxar'))).toBe(true);
  });

  it('encodes tree.mpxar + tree.ppxar (format v2) byte for byte', async () => {
    const { archive, payload } = await encodeTree(true);
    expect(archive.equals(vector('tree.mpxar'))).toBe(true);
    expect(payload.equals(vector('tree.ppxar'))).toBe(true);
  });

  it('writes catalog.pcat1 byte for byte', async () => {
    const { catalog } = await encodeTree(false);
    expect(catalog.toString('hex')).toBe(vector('catalog.pcat1').toString('hex'));
  });
});
