import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChunkStore } from './chunk-store.js';
import { CryptConfig } from './crypt-config.js';
import { DataBlob } from './data-blob.js';
import { DynamicIndexReader } from './dynamic-index.js';
import { FixedIndexReader } from './fixed-index.js';
import type { IndexFile } from './index-file.js';
import { parseKeyConfig } from './key-config.js';
import { decryptKeyConfig } from './key-file.js';
import { chunkCryptModeOf, MANIFEST_BLOB_NAME, type BackupManifest, type ManifestFile } from './manifest.js';
import { decodeManifestBlob } from './manifest-signature.js';
import {
  openVectorDatastore,
  readVector,
  VECTOR_DISK_IMAGE_SHA256,
  VECTOR_PASSPHRASE,
  VECTOR_SNAPSHOTS,
  type VectorDatastore,
} from './testing/index.js';

/*
 * End to end over the vector datastore: what a PBS reader does with a snapshot. Manifests,
 * signatures, index csums and sizes, every chunk's CRC, decode, digest and length, and the
 * restored archives compared with the reference data.
 */

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

let ds: VectorDatastore;
let crypt: CryptConfig;

beforeAll(async () => {
  ds = await openVectorDatastore();
  const keyFile = parseKeyConfig(readVector('keys/key-scrypt.json'), "key file 'key-scrypt.json'");
  crypt = CryptConfig.fromKey((await decryptKeyConfig(keyFile, VECTOR_PASSPHRASE)).key);
}, 120_000);

afterAll(async () => {
  await ds.cleanup();
});

async function readManifest(snapshot: string, key?: CryptConfig): Promise<BackupManifest> {
  const raw = await ds.backend.readFile(`${snapshot}/${MANIFEST_BLOB_NAME}`);
  return decodeManifestBlob(DataBlob.load(raw, `blob '${snapshot}/${MANIFEST_BLOB_NAME}'`), key);
}

async function readIndex(snapshot: string, file: ManifestFile): Promise<IndexFile> {
  const rel = `${snapshot}/${file.filename}`;
  const buf = await ds.backend.readFile(rel);
  return file.filename.endsWith('.fidx')
    ? FixedIndexReader.decode(buf, rel)
    : DynamicIndexReader.decode(buf, rel);
}

/** Loads and checks every chunk of an index and returns the restored data. */
async function restore(store: ChunkStore, index: IndexFile, file: ManifestFile): Promise<Buffer> {
  const out = Buffer.alloc(index.indexBytes);
  for (let pos = 0; pos < index.count; pos++) {
    const info = index.chunkInfo(pos);
    if (!info) throw new Error(`no chunk ${pos}`);
    const blob = await store.loadChunk(info.digest);
    expect(blob.cryptMode).toBe(chunkCryptModeOf(file));
    const data = blob.decode({ crypt: blob.isEncrypted ? crypt : undefined, digest: info.digest });
    expect(data.length).toBe(info.end - info.start);
    data.copy(out, info.start);
  }
  return out;
}

const EXPECTED_ARCHIVES: Record<string, (data: Buffer) => void> = {
  'disk.img.fidx': (data) => expect(sha256(data)).toBe(VECTOR_DISK_IMAGE_SHA256),
  'root.pxar.didx': (data) => expect(data.equals(readVector('pxar/tree.pxar'))).toBe(true),
  'catalog.pcat1.didx': (data) => expect(data.equals(readVector('pxar/catalog.pcat1'))).toBe(true),
  'qemu-server.conf.blob': (data) =>
    expect(data.equals(readVector('datastore-dumps/qemu-server.conf'))).toBe(true),
};

describe.each(Object.entries(VECTOR_SNAPSHOTS))('vector snapshot %s', (group, snapshot) => {
  const encrypted = group === 'vec-enc';

  it('has a manifest that verifies (signed with the scrypt key when encrypted)', async () => {
    const m = await readManifest(snapshot, encrypted ? crypt : undefined);
    expect([m.backupType, m.backupId]).toEqual(['host', group]);
    expect(m.signature === null).toBe(!encrypted);
    expect(m.files.every((f) => f.cryptMode === (encrypted ? 'encrypt' : 'none'))).toBe(true);
  });

  it('restores every archive exactly, checking csums, sizes and every chunk', async () => {
    const m = await readManifest(snapshot, encrypted ? crypt : undefined);
    expect(m.files.map((f) => f.filename).sort()).toEqual(Object.keys(EXPECTED_ARCHIVES).sort());
    for (const file of m.files) {
      let data: Buffer;
      if (file.filename.endsWith('.blob')) {
        const raw = await ds.backend.readFile(`${snapshot}/${file.filename}`);
        expect([raw.length, sha256(raw)]).toEqual([file.size, file.csum]);
        data = DataBlob.load(raw, file.filename).decode({ crypt });
      } else {
        const index = await readIndex(snapshot, file);
        const { csum, size } = index.computeCsum();
        expect([csum.toString('hex'), size]).toEqual([file.csum, file.size]);
        index.verifyCsum();
        data = await restore(ds.store, index, file);
      }
      EXPECTED_ARCHIVES[file.filename]?.(data);
    }
  });
});

describe('vector datastore layout', () => {
  it('has the completed layout and exactly the ten referenced chunk files', async () => {
    await ds.backend.checkChunkStore();
    const names: string[] = [];
    for await (const entry of ds.store.listChunkFiles()) names.push(entry.name);
    expect(names).toHaveLength(10);
    expect((await ds.backend.listDir('host')).map((e) => e.name).sort()).toEqual(['vec-enc', 'vec-plain']);
    expect((await ds.backend.readFile('host/vec-plain/owner')).toString()).toBe('root@pam\n');
  });
});
