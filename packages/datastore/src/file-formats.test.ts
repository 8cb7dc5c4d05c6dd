import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FINGERPRINT_INPUT } from './crypt-config.js';
import * as formats from './file-formats.js';

const sha8 = (s: string) => createHash('sha256').update(s).digest().subarray(0, 8);

describe('format constants', () => {
  it.each([
    ['UNCOMPRESSED_BLOB_MAGIC_1_0', 'Proxmox Backup uncompressed blob v1.0'],
    ['COMPRESSED_BLOB_MAGIC_1_0', 'Proxmox Backup zstd compressed blob v1.0'],
    ['ENCRYPTED_BLOB_MAGIC_1_0', 'Proxmox Backup encrypted blob v1.0'],
    ['ENCR_COMPR_BLOB_MAGIC_1_0', 'Proxmox Backup zstd compressed encrypted blob v1.0'],
    ['FIXED_SIZED_CHUNK_INDEX_1_0', 'Proxmox Backup fixed sized chunk index v1.0'],
    ['DYNAMIC_SIZED_CHUNK_INDEX_1_0', 'Proxmox Backup dynamic sized chunk index v1.0'],
    ['PROXMOX_CATALOG_FILE_MAGIC_1_0', 'Proxmox Backup Catalog file v1.0'],
  ] as const)('%s is sha256(%j)[0..8]', (name, text) => {
    expect(formats[name]).toEqual(sha8(text));
  });

  it('derives the fingerprint input from its string', () => {
    expect(FINGERPRINT_INPUT).toEqual(
      createHash('sha256').update('Proxmox Backup Encryption Key Fingerprint').digest(),
    );
  });
});
