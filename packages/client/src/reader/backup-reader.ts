import { AppError } from '@pbs/api-types/errors';
import {
  DataBlob,
  DynamicIndexReader,
  FixedIndexReader,
  lookupManifestFile,
  MANIFEST_BLOB_NAME,
  parseManifest,
  verifyManifestFile,
  verifyManifestSignature,
  type BackupManifest,
  type CryptConfig,
  type Digest,
  type IndexFile,
  type SnapshotRef,
} from '@pbs/datastore';
import { createHash } from 'node:crypto';
import type { H2Session } from '../http/h2-session.js';
import type { HttpClient } from '../http/http-client.js';

/*
 * A reader session (pbs-client BackupReader, pbs-formats §10.4): the upgrade to
 * `proxmox-backup-reader-protocol-v1` on one snapshot, then downloads. Everything downloaded is
 * checked against the manifest (index csum and size recomputed from the entries, blob sha256 and
 * size); the manifest's signature is checked when a key is given. Chunks are only downloadable
 * after their index has been downloaded in the session (the server enforces it).
 */

export const READER_PROTOCOL = 'proxmox-backup-reader-protocol-v1';

export interface BackupReaderOptions {
  readonly store: string;
  readonly ns?: string;
  readonly snapshot: SnapshotRef;
}

export class BackupReader {
  private constructor(readonly h2: H2Session) {}

  static async start(client: HttpClient, opts: BackupReaderOptions): Promise<BackupReader> {
    const h2 = await client.upgrade(
      '/api2/json/reader',
      {
        store: opts.store,
        'backup-type': opts.snapshot.type,
        'backup-id': opts.snapshot.id,
        'backup-time': opts.snapshot.time,
        ...(opts.ns !== undefined && opts.ns !== '' && { ns: opts.ns }),
        debug: false,
      },
      READER_PROTOCOL,
      'reader session',
    );
    return new BackupReader(h2);
  }

  /** The raw file of the snapshot. */
  downloadRaw(fileName: string): Promise<Buffer> {
    return this.h2.download('/download', { 'file-name': fileName });
  }

  /** The manifest and its decoded JSON text; with a key the signature must be valid. */
  async downloadManifest(crypt?: CryptConfig): Promise<{ manifest: BackupManifest; json: Buffer }> {
    const blob = DataBlob.load(await this.downloadRaw(MANIFEST_BLOB_NAME), MANIFEST_BLOB_NAME);
    const json = blob.decode();
    const manifest = parseManifest(json, MANIFEST_BLOB_NAME);
    if (crypt) verifyManifestSignature(manifest, crypt, MANIFEST_BLOB_NAME);
    return { manifest, json };
  }

  /** An index of the snapshot, verified against the manifest; its chunks become downloadable. */
  async downloadIndex(manifest: BackupManifest, name: string): Promise<IndexFile> {
    lookupManifestFile(manifest, name);
    const raw = await this.downloadRaw(name);
    let index: IndexFile;
    if (name.endsWith('.fidx')) index = FixedIndexReader.decode(raw, name);
    else if (name.endsWith('.didx')) index = DynamicIndexReader.decode(raw, name);
    else throw new AppError('INVALID_ARGUMENT', `'${name}' is not an index file`);
    const { csum, size } = index.computeCsum();
    verifyManifestFile(manifest, name, csum.toString('hex'), size);
    return index;
  }

  /** A blob's plaintext, verified against the manifest (decrypted with `crypt` if encrypted). */
  async downloadBlob(manifest: BackupManifest, name: string, crypt?: CryptConfig): Promise<Buffer> {
    const file = lookupManifestFile(manifest, name);
    const raw = await this.downloadRaw(name);
    verifyManifestFile(manifest, name, createHash('sha256').update(raw).digest('hex'), raw.length);
    const blob = DataBlob.load(raw, `blob '${name}'`);
    if (file.cryptMode === 'encrypt' && !blob.isEncrypted) {
      throw new AppError('CORRUPT_DATA', `blob '${name}': not encrypted, but the manifest says so`);
    }
    return blob.decode(crypt ? { crypt } : {});
  }

  /** A chunk's stored bytes. */
  downloadChunk(digest: Digest): Promise<Buffer> {
    return this.h2.download('/chunk', { digest });
  }

  close(): Promise<void> {
    return this.h2.close();
  }

  destroy(): void {
    this.h2.destroy();
  }
}
