/**
 * Opens a pxar archive of a snapshot for random access on the server (file browser, downloads):
 * a reader session on the snapshot (shared lock), the .didx as a random-access byte source over
 * decoded chunks, and pxar's accessor on top. Split archives (.mpxar.didx) get their payload
 * stream (.ppxar.didx). Encrypted archives cannot be read without the client's key: refused.
 */
import { AppError } from '@pbs/api-types';
import {
  createIndexReadAt,
  DynamicIndexReader,
  type Datastore,
  type SnapshotReader,
  type SnapshotRef,
} from '@pbs/datastore';
import { PxarAccessor, type ReadAt } from '@pbs/pxar';

export interface OpenArchive {
  accessor: PxarAccessor;
  close(): void;
}

const PXAR_ARCHIVE = /^[^/]+\.(?:pxar|mpxar)\.didx$/;

export function isBrowsableArchive(name: string): boolean {
  return PXAR_ARCHIVE.test(name);
}

async function didxSource(reader: SnapshotReader, name: string): Promise<{ read: ReadAt; size: number }> {
  const index = DynamicIndexReader.decode(await reader.readFile(name), name);
  const read = createIndexReadAt(
    index,
    async (digest) => (await reader.loadChunk(digest)).decode({ digest }),
    { name },
  );
  return { read, size: index.indexBytes };
}

async function checkNotEncrypted(ds: Datastore, ns: string, snap: SnapshotRef, name: string): Promise<void> {
  const { manifest } = await ds.loadManifest(ns, snap);
  const file = manifest.files.find((f) => f.filename === name);
  if (file === undefined) throw new AppError('NOT_FOUND', `snapshot has no archive '${name}'`);
  if (file.cryptMode === 'encrypt') {
    throw new AppError(
      'INVALID_ARGUMENT',
      `archive '${name}' is encrypted; browse it with the client and its key`,
    );
  }
}

export async function openArchive(
  ds: Datastore,
  ns: string,
  snap: SnapshotRef,
  name: string,
): Promise<OpenArchive> {
  if (!isBrowsableArchive(name)) throw new AppError('INVALID_ARGUMENT', `'${name}' is not a pxar archive`);
  await checkNotEncrypted(ds, ns, snap, name);
  const reader = await ds.openReader(ns, snap);
  try {
    const main = await didxSource(reader, name);
    const payload = name.endsWith('.mpxar.didx')
      ? await didxSource(reader, name.replace(/\.mpxar\.didx$/, '.ppxar.didx'))
      : undefined;
    const accessor = await PxarAccessor.open(main.read, main.size, { name, payload });
    return { accessor, close: () => reader.close() };
  } catch (err) {
    reader.close();
    throw err;
  }
}
