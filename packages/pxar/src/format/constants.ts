/**
 * The pxar wire constants (pxar `src/format/mod.rs`), copied as facts. Every integer in an
 * archive is little-endian; every item starts with a 16-byte header `htype u64, full_size u64`
 * where full_size includes the header itself.
 */

export const PXAR_FORMAT_VERSION = 0x730f6c75df16a40dn;
export const PXAR_ENTRY = 0xd5956474e588acefn;
/** The entry struct of early archives: mtime as u64 nanoseconds, no padding. Decode only. */
export const PXAR_ENTRY_V1 = 0x11da850a1c1cceffn;
export const PXAR_PRELUDE = 0xe309d79d9f7b771bn;
export const PXAR_FILENAME = 0x16701121063917b3n;
export const PXAR_SYMLINK = 0x27f971e7dbf5dc5fn;
export const PXAR_DEVICE = 0x9fc9e906586d5ce9n;
export const PXAR_XATTR = 0x0dab0229b57dcd03n;
export const PXAR_ACL_USER = 0x2ce8540a457d55b8n;
export const PXAR_ACL_GROUP = 0x136e3eceb04c03abn;
export const PXAR_ACL_GROUP_OBJ = 0x10868031e9582876n;
export const PXAR_ACL_DEFAULT = 0xbbbb13415a6896f5n;
export const PXAR_ACL_DEFAULT_USER = 0xc89357b40532cd1fn;
export const PXAR_ACL_DEFAULT_GROUP = 0xf90a8a5816038ffen;
export const PXAR_FCAPS = 0x2da9dd9db5f7fb67n;
export const PXAR_QUOTA_PROJID = 0xe07540e82f7d1cbbn;
export const PXAR_HARDLINK = 0x51269c8422bd7275n;
export const PXAR_PAYLOAD = 0x28147a1b0b7c1a25n;
export const PXAR_PAYLOAD_REF = 0x419d3d6bc4ba977en;
export const PXAR_GOODBYE = 0x2fec4fa642d5731dn;
export const PXAR_GOODBYE_TAIL_MARKER = 0xef5eed5b753e1555n;
export const PXAR_PAYLOAD_START_MARKER = 0x834c68c2194a4ed2n;
export const PXAR_PAYLOAD_TAIL_MARKER = 0x6c72b78b984c81b5n;

/** SipHash-2-4 keys of the goodbye-table name hash: sha1('PROXMOX ARCHIVE FORMAT') halves. */
export const PXAR_HASH_KEY_1 = 0x83ac3f1cfbb450dbn;
export const PXAR_HASH_KEY_2 = 0xaa4f1b6879369fbdn;

export const HEADER_SIZE = 16;
/** ENTRY content: mode u64, flags u64, uid u32, gid u32, mtime (secs i64, nanos u32, pad u32). */
export const STAT_SIZE = 40;
/** ENTRY_V1 content: mode u64, flags u64, uid u32, gid u32, mtime u64 nanoseconds. */
export const STAT_V1_SIZE = 32;
export const GOODBYE_ITEM_SIZE = 24;
export const DEVICE_SIZE = 16;
export const PAYLOAD_REF_SIZE = 16;
export const ACL_USER_SIZE = 16;
export const ACL_GROUP_OBJ_SIZE = 8;
export const ACL_DEFAULT_SIZE = 32;
export const QUOTA_PROJID_SIZE = 8;

export const MAX_PATH_LEN = 4096;
export const MAX_FILENAME_LEN = MAX_PATH_LEN;
/** name + value */
export const MAX_XATTR_LEN = 255 + 64 * 1024;

/** The file type and permission bits as pxar stores them (Linux values, fixed by the format). */
export const mode = {
  IFMT: 0o170000,
  IFSOCK: 0o140000,
  IFLNK: 0o120000,
  IFREG: 0o100000,
  IFBLK: 0o060000,
  IFDIR: 0o040000,
  IFCHR: 0o020000,
  IFIFO: 0o010000,
  ISUID: 0o004000,
  ISGID: 0o002000,
  ISVTX: 0o001000,
} as const;

/** ACL permission value meaning "not set" in a default ACL (u64::MAX on the wire). */
export const ACL_NO_MASK = -1;

export const FORMAT_VERSION_2 = 2;

const NAMES = new Map<bigint, string>([
  [PXAR_FORMAT_VERSION, 'FORMAT_VERSION'],
  [PXAR_ENTRY, 'ENTRY'],
  [PXAR_ENTRY_V1, 'ENTRY_V1'],
  [PXAR_PRELUDE, 'PRELUDE'],
  [PXAR_FILENAME, 'FILENAME'],
  [PXAR_SYMLINK, 'SYMLINK'],
  [PXAR_DEVICE, 'DEVICE'],
  [PXAR_XATTR, 'XATTR'],
  [PXAR_ACL_USER, 'ACL_USER'],
  [PXAR_ACL_GROUP, 'ACL_GROUP'],
  [PXAR_ACL_GROUP_OBJ, 'ACL_GROUP_OBJ'],
  [PXAR_ACL_DEFAULT, 'ACL_DEFAULT'],
  [PXAR_ACL_DEFAULT_USER, 'ACL_DEFAULT_USER'],
  [PXAR_ACL_DEFAULT_GROUP, 'ACL_DEFAULT_GROUP'],
  [PXAR_FCAPS, 'FCAPS'],
  [PXAR_QUOTA_PROJID, 'QUOTA_PROJID'],
  [PXAR_HARDLINK, 'HARDLINK'],
  [PXAR_PAYLOAD, 'PAYLOAD'],
  [PXAR_PAYLOAD_REF, 'PAYLOAD_REF'],
  [PXAR_GOODBYE, 'GOODBYE'],
  [PXAR_PAYLOAD_START_MARKER, 'PAYLOAD_START_MARKER'],
  [PXAR_PAYLOAD_TAIL_MARKER, 'PAYLOAD_TAIL_MARKER'],
]);

/** "FILENAME header (16701121063917b3)" — for error messages. */
export function describeHeaderType(htype: bigint): string {
  return `${NAMES.get(htype) ?? 'UNKNOWN'} header (${htype.toString(16)})`;
}
