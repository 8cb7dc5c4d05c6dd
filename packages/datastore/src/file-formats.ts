/*
 * Magic numbers and fixed sizes of the PBS on-disk formats (pbs-datastore/src/file_formats.rs).
 * WARNING: never change any of these; they are the compatibility contract with PBS. Each magic
 * is the first 8 bytes of SHA-256 of the string in its comment (file-formats.test.ts checks).
 */

/** "Proxmox Backup uncompressed blob v1.0" */
export const UNCOMPRESSED_BLOB_MAGIC_1_0: Readonly<Buffer> = Buffer.from([
  66, 171, 56, 7, 190, 131, 112, 161,
]);
/** "Proxmox Backup zstd compressed blob v1.0" */
export const COMPRESSED_BLOB_MAGIC_1_0: Readonly<Buffer> = Buffer.from([49, 185, 88, 66, 111, 182, 163, 127]);
/** "Proxmox Backup encrypted blob v1.0" */
export const ENCRYPTED_BLOB_MAGIC_1_0: Readonly<Buffer> = Buffer.from([123, 103, 133, 190, 34, 45, 76, 240]);
/** "Proxmox Backup zstd compressed encrypted blob v1.0" */
export const ENCR_COMPR_BLOB_MAGIC_1_0: Readonly<Buffer> = Buffer.from([230, 89, 27, 191, 11, 191, 216, 11]);
/** "Proxmox Backup fixed sized chunk index v1.0" */
export const FIXED_SIZED_CHUNK_INDEX_1_0: Readonly<Buffer> = Buffer.from([
  47, 127, 65, 237, 145, 253, 15, 205,
]);
/** "Proxmox Backup dynamic sized chunk index v1.0" */
export const DYNAMIC_SIZED_CHUNK_INDEX_1_0: Readonly<Buffer> = Buffer.from([
  28, 145, 78, 165, 25, 186, 179, 205,
]);
/** "Proxmox Backup Catalog file v1.0" */
export const PROXMOX_CATALOG_FILE_MAGIC_1_0: Readonly<Buffer> = Buffer.from([
  145, 253, 96, 249, 196, 103, 88, 213,
]);

/** magic[8] crc32[4] */
export const BLOB_HEADER_SIZE = 12;
/** magic[8] crc32[4] iv[16] tag[16] */
export const ENCRYPTED_BLOB_HEADER_SIZE = 44;
export const BLOB_CRC_OFFSET = 8;
export const BLOB_IV_OFFSET = 12;
export const BLOB_TAG_OFFSET = 28;
/** largest plaintext DataBlob::encode accepts */
export const MAX_BLOB_SIZE = 128 * 1024 * 1024;

/** one page on x86_64/aarch64 (PBS on loongarch64 uses 16 KiB headers; not supported here) */
export const INDEX_HEADER_SIZE = 4096;
export const FIXED_INDEX_ENTRY_SIZE = 32;
export const DYNAMIC_INDEX_ENTRY_SIZE = 40;
/** chunk size the backup protocol forces on fixed indexes */
export const FIXED_INDEX_CHUNK_SIZE = 4 * 1024 * 1024;
