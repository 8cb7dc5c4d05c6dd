import { createHash } from 'node:crypto';
import { DataBlob } from '../data-blob.js';
import type { Datastore } from '../datastore.js';
import { sha256Digest } from '../digest.js';
import { FIXED_INDEX_CHUNK_SIZE } from '../file-formats.js';
import { archiveKindOf } from '../hierarchy/archive-name.js';
import { mapLimit } from '../map-limit.js';
import type { BackupGroupRef } from '../hierarchy/backup-ref.js';
import type { NamespacePath } from '../hierarchy/namespace.js';
import type { BackupWriter } from '../backup/backup-writer.js';
import { encodeManifestBlob } from '../manifest-signature.js';
import type { ManifestFile } from '../manifest.js';
import type { BackupType } from '../names.js';
import type { SnapshotInfo } from '../snapshot-info.js';

/*
 * Seeding real snapshots through the backup writer, for tests, fixtures and benchmarks: blobs
 * are stored as compressed DataBlobs, dynamic indexes cut their data into fixed 64 KiB pieces
 * (any cut is a valid dynamic index), fixed indexes into the protocol's 4 MiB chunks. Finish
 * syncs the store when its sync level says so: seed many snapshots into a backend with
 * syncLevel 'none'.
 */

export const SEED_DYNAMIC_CHUNK = 64 * 1024;

export interface SeedFile {
  /** '<name>.didx', '<name>.fidx' or '<name>.blob' */
  name: string;
  data: Buffer;
}

export interface SeedSnapshotOptions {
  ns?: NamespacePath;
  type: BackupType;
  id: string;
  /** epoch seconds */
  time: number;
  authId?: string;
  /** default: one small 'root.pxar.didx' whose content names the snapshot */
  files?: SeedFile[];
}

const sha256Hex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

async function storeChunks(
  writer: BackupWriter,
  data: Buffer,
  size: number,
  add: (start: number, end: number, digest: ReturnType<typeof sha256Digest>) => Promise<void>,
): Promise<void> {
  for (let start = 0; start < data.length; start += size) {
    const piece = data.subarray(start, Math.min(start + size, data.length));
    const digest = sha256Digest(piece);
    await writer.insertChunk(digest, DataBlob.encode(piece), { size: piece.length });
    await add(start, start + piece.length, digest);
  }
}

async function writeFile(writer: BackupWriter, file: SeedFile): Promise<ManifestFile> {
  const base = { filename: file.name, cryptMode: 'none' as const };
  switch (archiveKindOf(file.name)) {
    case 'blob': {
      const blob = DataBlob.encode(file.data);
      await writer.writeBlob(file.name, blob);
      return { ...base, size: blob.raw.length, csum: sha256Hex(blob.raw) };
    }
    case 'fixed': {
      const index = await writer.createFixedIndex(file.name, file.data.length);
      await storeChunks(writer, file.data, FIXED_INDEX_CHUNK_SIZE, (start, end, digest) =>
        Promise.resolve(index.addChunk(start, end - start, digest)),
      );
      return { ...base, size: file.data.length, csum: (await index.close()).toString('hex') };
    }
    case 'dynamic': {
      const index = await writer.createDynamicIndex(file.name);
      await storeChunks(writer, file.data, SEED_DYNAMIC_CHUNK, (_start, end, digest) =>
        index.addChunk(end, digest),
      );
      return { ...base, size: file.data.length, csum: (await index.close()).toString('hex') };
    }
    default:
      throw new Error(`seed: '${file.name}' is not an archive name`);
  }
}

/** Writes one finished snapshot through beginBackup/finish and returns its list item. */
export async function seedSnapshot(ds: Datastore, opts: SeedSnapshotOptions): Promise<SnapshotInfo> {
  const group: BackupGroupRef = { type: opts.type, id: opts.id };
  const writer = await ds.beginBackup({
    ns: opts.ns ?? '',
    group,
    time: opts.time,
    authId: opts.authId ?? 'root@pam',
  });
  try {
    const files = opts.files ?? [
      { name: 'root.pxar.didx', data: Buffer.from(`seeded ${opts.type}/${opts.id} at ${opts.time}\n`) },
    ];
    const listed: ManifestFile[] = [];
    for (const file of files) listed.push(await writeFile(writer, file));
    const manifest = encodeManifestBlob({
      backupType: opts.type,
      backupId: opts.id,
      backupTime: opts.time,
      files: listed,
      unprotected: {},
      signature: null,
    });
    return await writer.finish(manifest.raw);
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

export interface SeedManyOptions {
  ns?: NamespacePath;
  type?: BackupType;
  /** groups are '<idPrefix>-<n>' (default 'seed') */
  idPrefix?: string;
  /** snapshots are spread round-robin over this many groups (default: one per 100 snapshots) */
  groups?: number;
  /** epoch seconds of the first snapshot of each group (default 2023-11-14T22:13:20Z) */
  startTime?: number;
  /** seconds between the snapshots of a group (default 3600) */
  interval?: number;
  authId?: string;
  files?: SeedFile[];
  /** groups written in parallel (default 8) */
  concurrency?: number;
}

/** Many small snapshots quickly (a listing benchmark wants 10,000); returns how many were made. */
export async function seedSnapshots(
  ds: Datastore,
  count: number,
  opts: SeedManyOptions = {},
): Promise<number> {
  const groups = Math.max(1, opts.groups ?? Math.ceil(count / 100));
  const start = opts.startTime ?? 1_700_000_000;
  const interval = opts.interval ?? 3600;
  const ids = Array.from({ length: groups }, (_, g) => `${opts.idPrefix ?? 'seed'}-${g}`);
  let made = 0;
  const seedGroup = async (g: number) => {
    for (let i = g, n = 0; i < count; i += groups, n++) {
      await seedSnapshot(ds, {
        ns: opts.ns,
        type: opts.type ?? 'host',
        id: ids[g] as string,
        time: start + n * interval,
        authId: opts.authId,
        files: opts.files,
      });
      made++;
    }
  };
  await mapLimit(
    ids.map((_, g) => g),
    opts.concurrency ?? 8,
    seedGroup,
  );
  return made;
}
