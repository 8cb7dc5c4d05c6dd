/*
 * Tape format constants (pbs-formats §12.1–12.4). Every magic number is the first 8 bytes of
 * SHA-256 of its name; constants.test.ts recomputes them.
 */

/** every tape block is exactly this long (PROXMOX_TAPE_BLOCK_SIZE) */
export const TAPE_BLOCK_SIZE = 256 * 1024;
export const BLOCK_HEADER_SIZE = 16;
export const BLOCK_PAYLOAD_SIZE = TAPE_BLOCK_SIZE - BLOCK_HEADER_SIZE;

const hex = (h: string) => Buffer.from(h, 'hex');

export const BLOCK_HEADER_MAGIC = hex('dcbdafcaeba0a528');
export const MEDIA_CONTENT_HEADER_MAGIC = hex('63ee149fcdf29b0c');

export const MEDIA_LABEL_MAGIC = hex('2a05bf3cb030aa39');
export const MEDIA_SET_LABEL_MAGIC = hex('086063f92f9753d8');
export const CHUNK_ARCHIVE_MAGIC_1_0 = hex('3eada75f314c066e');
export const CHUNK_ARCHIVE_MAGIC_1_1 = hex('6d31636dd70283bf');
export const SNAPSHOT_ARCHIVE_MAGIC_1_1 = hex('da1615d011e29a62');
export const SNAPSHOT_ARCHIVE_MAGIC_1_2 = hex('6210369bba10331d');
export const CATALOG_ARCHIVE_MAGIC_1_0 = hex('b7cfc7259e991e73');
export const CATALOG_ARCHIVE_MAGIC_1_1 = hex('b3ec71f0adec0260');
export const CHUNK_ARCHIVE_ENTRY_MAGIC = hex('48576df2de428fdc');
export const MEDIA_CATALOG_MAGIC_1_0 = hex('dd1da4013b451328');
export const MEDIA_CATALOG_MAGIC_1_1 = hex('4c8ee8c120a88971');

/** the names the magics hash, for the test and for messages */
export const MAGIC_NAMES: ReadonlyArray<[string, Buffer]> = [
  ['Proxmox Tape Block Header v1.0', BLOCK_HEADER_MAGIC],
  ['Proxmox Backup Content Header v1.0', MEDIA_CONTENT_HEADER_MAGIC],
  ['Proxmox Backup Tape Label v1.0', MEDIA_LABEL_MAGIC],
  ['Proxmox Backup MediaSet Label v1.0', MEDIA_SET_LABEL_MAGIC],
  ['Proxmox Backup Chunk Archive v1.0', CHUNK_ARCHIVE_MAGIC_1_0],
  ['Proxmox Backup Chunk Archive v1.1', CHUNK_ARCHIVE_MAGIC_1_1],
  ['Proxmox Backup Snapshot Archive v1.1', SNAPSHOT_ARCHIVE_MAGIC_1_1],
  ['Proxmox Backup Snapshot Archive v1.2', SNAPSHOT_ARCHIVE_MAGIC_1_2],
  ['Proxmox Backup Catalog Archive v1.0', CATALOG_ARCHIVE_MAGIC_1_0],
  ['Proxmox Backup Catalog Archive v1.1', CATALOG_ARCHIVE_MAGIC_1_1],
  ['Proxmox Backup Chunk Archive Entry v1.0', CHUNK_ARCHIVE_ENTRY_MAGIC],
  ['Proxmox Backup Media Catalog v1.0', MEDIA_CATALOG_MAGIC_1_0],
  ['Proxmox Backup Media Catalog v1.1', MEDIA_CATALOG_MAGIC_1_1],
];

/** content kinds of a tape file, from its content magic */
export type ContentKind =
  'media-label' | 'media-set-label' | 'chunk-archive' | 'snapshot-archive' | 'catalog-archive';

export function contentKindOf(magic: Buffer): ContentKind | undefined {
  if (magic.equals(MEDIA_LABEL_MAGIC)) return 'media-label';
  if (magic.equals(MEDIA_SET_LABEL_MAGIC)) return 'media-set-label';
  if (magic.equals(CHUNK_ARCHIVE_MAGIC_1_1)) return 'chunk-archive';
  if (magic.equals(SNAPSHOT_ARCHIVE_MAGIC_1_1) || magic.equals(SNAPSHOT_ARCHIVE_MAGIC_1_2))
    return 'snapshot-archive';
  if (magic.equals(CATALOG_ARCHIVE_MAGIC_1_1) || magic.equals(CATALOG_ARCHIVE_MAGIC_1_0))
    return 'catalog-archive';
  return undefined;
}

/** PBS MAX_CHUNK_ARCHIVE_SIZE: a chunk archive ends after this many bytes */
export const MAX_CHUNK_ARCHIVE_SIZE = 4 * 1024 * 1024 * 1024;
